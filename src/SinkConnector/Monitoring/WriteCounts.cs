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

    /// <summary>
    /// Records the source sent again, skipped, per (table, reason): <c>replayed</c> (by source position, after a source
    /// crash), <c>stale_snapshot</c> (a row of an earlier attempt of the table's initial snapshot) and
    /// <c>held_by_snapshot</c> (a streamed change whose effect the rows of the table's snapshot attempt hold).
    /// </summary>
    public Dictionary<(string Table, string Reason), long> SkippedOfTable { get; } = [];

    /// <summary>Counts a record of <paramref name="table"/> skipped for <paramref name="reason"/> in <see cref="SkippedOfTable"/>.</summary>
    public void SkipOfTable(string table, string reason) => SkippedOfTable[(table, reason)] = SkippedOfTable.GetValueOrDefault((table, reason)) + 1;

    /// <summary>The rows written in all.</summary>
    public long TotalRows => Rows.Values.Sum();
}
