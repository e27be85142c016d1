namespace KafkaCdc.SinkConnector.Monitoring;

/// <summary>What one batch transaction wrote and skipped, recorded into the metrics once it committed.</summary>
public sealed class WriteCounts
{
    /// <summary>Rows written per (table, op): op is <c>upsert</c>, <c>insert</c>, <c>delete</c>, <c>soft_delete</c> (rows marked by deletes and truncates, <c>delete.mode=soft</c>) or <c>truncate</c>.</summary>
    public Dictionary<(string Table, string Op), long> Rows { get; } = [];

    /// <summary>Records skipped per reason (<c>delete_disabled</c>, <c>before_truncate</c>, <c>already_applied</c>...).</summary>
    public Dictionary<string, long> Skipped { get; } = new(StringComparer.Ordinal);

    /// <summary>Adds <paramref name="count"/> rows.</summary>
    public void AddRows(string table, string op, long count)
    {
        if (count == 0) return;
        Rows[(table, op)] = Rows.GetValueOrDefault((table, op)) + count;
    }

    /// <summary>Counts a skipped record.</summary>
    /// <summary>
    /// Rows inserted per table whose unchanged-TOAST placeholders had no stored value to keep, so those columns were
    /// written as NULL (the source could not log the values: a key-changing update under REPLICA IDENTITY DEFAULT).
    /// </summary>
    public Dictionary<string, long> UnavailableAsNull { get; } = new(StringComparer.Ordinal);

    /// <summary>Counts rows inserted with unavailable values written as NULL.</summary>
    public void AddUnavailableAsNull(string table, long count)
    {
        if (count > 0) UnavailableAsNull[table] = UnavailableAsNull.GetValueOrDefault(table) + count;
    }

    /// <summary>Counts a skipped record.</summary>
    public void Skip(string reason, long count = 1) => Skipped[reason] = Skipped.GetValueOrDefault(reason) + count;

    /// <summary>Records skipped as the source's replays (by source position), per table.</summary>
    public Dictionary<string, long> Replayed { get; } = new(StringComparer.Ordinal);

    /// <summary>Counts a record skipped as a replay.</summary>
    public void AddReplayed(string table) => Replayed[table] = Replayed.GetValueOrDefault(table) + 1;

    /// <summary>The rows written in all.</summary>
    public long TotalRows => Rows.Values.Sum();
}
