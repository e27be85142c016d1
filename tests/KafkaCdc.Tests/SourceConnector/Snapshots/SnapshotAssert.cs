using System.Globalization;

namespace KafkaCdc.Tests.SourceConnector.Snapshots;

/// <summary>Assertions of the snapshot tests: the topics a consumer reads equal the source tables.</summary>
internal static class SnapshotAssert
{
    static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(120);
    static readonly string[] s_columns = ["v", "n"];

    /// <summary>
    /// Reads the topic up to its high watermarks until its replica equals the table (a consumer sees the source's
    /// current state). On failure, every record of a few keys that differ is shown, so a failure explains itself.
    /// </summary>
    public static async Task<IReadOnlyList<ChangeRecord>> TopicEqualsTableAsync(SourceTestDatabase database, string table, string? log = null)
    {
        var expected = await TopicReplica.SourceRowsAsync(database.ConnectionString, table, "id", s_columns);
        var topic = database.Topic(table);
        var records = await ChangeTopic.ReadToEndUntilAsync(topic, records =>
        {
            var actual = TopicReplica.Rows(records, "id", s_columns);
            var missing = expected.Keys.Except(actual.Keys).ToList();
            var extra = actual.Keys.Except(expected.Keys).ToList();
            var different = actual.Keys.Where(k => expected.TryGetValue(k, out var row) && row != actual[k]).ToList();
            if (missing.Count == 0 && extra.Count == 0 && different.Count == 0) return null;
            return $"table {table}: {actual.Count} rows in the topic, {expected.Count} in the table; {missing.Count} missing ({string.Join(", ", missing.Take(10))}); " +
                   $"{extra.Count} extra ({string.Join(", ", extra.Take(10))}); {different.Count} different " +
                   $"({string.Join("; ", different.Take(10).Select(k => $"{k}: topic {actual[k]}, table {expected[k]}"))}).\n" +
                   History(records, missing.Take(3).Concat(extra.Take(3)).Concat(different.Take(3)));
        }, s_timeout, $"the topic of {table} to equal the table ({expected.Count} rows)" + (log is null ? "" : $"; connector log:\n{SnapshotLines(log)}"));
        TestContext.Out.WriteLine($"{topic}: " + string.Join(", ", records.GroupBy(r => r.Partition).OrderBy(g => g.Key)
            .Select(g => $"partition {g.Key} {g.Count()} records {g.Sum(r => (r.RawKey?.Length ?? 0) + (r.RawValue?.Length ?? 0)) / 1024} KiB")));
        return records;
    }

    /// <summary>
    /// Reads the topic of a table without a key (columns <c>n</c>, <c>v</c>) until a consumer applying its records in
    /// order (a delete, or the old row of an update, removes one equal row) holds the table's rows, each as often as the
    /// table has it; <paramref name="last"/> (<c>n|v</c>) is a row written last, so the comparison waits for it.
    /// </summary>
    public static async Task KeylessTopicEqualsTableAsync(SourceTestDatabase database, string table, string last)
    {
        var expected = (await database.ScalarAsync<string[]>($"SELECT array_agg(n || '|' || v) FROM {table}")).Order(StringComparer.Ordinal).ToList();
        await ChangeTopic.ReadToEndUntilAsync(database.Topic(table), records =>
        {
            var rows = new List<string>();
            static string Row(Avro.Generic.GenericRecord image) => $"{image["n"]}|{image["v"]}";
            foreach (var record in records.Where(r => r.Value is not null))
            {
                if (record.Before is { } before) rows.Remove(Row(before));
                if (record.After is { } after) rows.Add(Row(after));
            }
            if (!rows.Contains(last)) return $"no row {last} yet ({rows.Count} rows)";
            rows.Sort(StringComparer.Ordinal);
            return rows.SequenceEqual(expected) ? null
                : $"{rows.Count} rows in the topic, {expected.Count} in the table; twice or more in the topic: " +
                  string.Join(", ", rows.GroupBy(r => r).Where(g => g.Count() > 1).Select(g => g.Key).Take(10)) +
                  "; only in the table: " + string.Join(", ", expected.Except(rows).Take(10));
        }, s_timeout, $"the topic of {table} to hold the table's {expected.Count} rows, each once");
    }

    /// <summary>The snapshot, signal, warning and error lines of a connector's log (the last 60).</summary>
    public static string SnapshotLines(string log) =>
        string.Join("\n", log.Split('\n').Where(l => l.Contains("napshot") || l.Contains("ignal") || l.Contains("Error") || l.Contains("Warning")).TakeLast(60));

    /// <summary>Every record of each of <paramref name="keys"/>: where it is, what it does and where it came from.</summary>
    static string History(IReadOnlyList<ChangeRecord> records, IEnumerable<string> keys) =>
        string.Join("\n", keys.Select(key =>
        {
            var history = records.Where(r => r.Key is not null && Convert.ToString(r.Key["id"], CultureInfo.InvariantCulture) == key)
                .Select(r => r.Value is null
                    ? $"  {r.Partition}@{r.Offset} tombstone"
                    : $"  {r.Partition}@{r.Offset} op={r.Op} snapshot={r.Source["snapshot"]} lsn={r.Source["lsn"]} txId={r.Source["txId"]} " +
                      $"after={(r.After is { } after ? string.Join("|", s_columns.Select(c => after[c] ?? "NULL")) : "none")}")
                .ToList();
            return $"key {key}: {(history.Count == 0 ? "no record in the topic" : $"{history.Count} record(s)\n" + string.Join("\n", history))}";
        }));
}
