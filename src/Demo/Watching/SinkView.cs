namespace KafkaCdc.Demo.Watching;

/// <summary>What one sink process's <c>/status</c> said at one poll.</summary>
/// <param name="Process">The process number (1-based, as run.sh started them).</param>
/// <param name="Url">Its REST base URL.</param>
/// <param name="State">running, degraded, failed...; or <c>unreachable</c>.</param>
/// <param name="RowsPerSecond">Rows written per second over the last 10 s.</param>
/// <param name="Error">The last error, if any.</param>
/// <param name="Tasks">Its tasks.</param>
internal sealed record SinkView(int Process, string Url, string State, double RowsPerSecond, string? Error, IReadOnlyList<SinkTaskView> Tasks)
{
    /// <summary>Every assigned partition of every task.</summary>
    public IEnumerable<PartitionLag> Partitions => Tasks.SelectMany(t => t.Partitions);
}
