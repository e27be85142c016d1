namespace KafkaCdc.Demo.Workload;

/// <summary>What the workload has done so far.</summary>
/// <param name="State">waiting (for the initial snapshot), running, stopped or failed (with the reason).</param>
/// <param name="Inserts">Rows inserted.</param>
/// <param name="Updates">Rows updated.</param>
/// <param name="Deletes">Rows deleted.</param>
/// <param name="ChangesPerSecond">Changes per second over the last few seconds.</param>
/// <param name="SchemaChange">The schema change made, once made.</param>
internal sealed record WorkloadProgress(string State, long Inserts, long Updates, long Deletes, double ChangesPerSecond, string? SchemaChange)
{
    /// <summary>Every change made.</summary>
    public long Changes => Inserts + Updates + Deletes;
}
