using Avro.Generic;
using Npgsql;

namespace KafkaCdc.Tests.SourceConnector;

/// <summary>
/// What a consumer applying a change topic in order ends up with, compared with the source table: per key, the last
/// record wins (read, create and update set the row, delete and truncate remove it). This is the destination a sink
/// would build, without the sink, so source tests can assert "the destination equals the source".
/// </summary>
internal static class TopicReplica
{
    /// <summary>The rows the topic's records leave, keyed by <paramref name="key"/>'s text, each as its columns' text.</summary>
    public static Dictionary<string, string> Rows(IReadOnlyList<ChangeRecord> records, string key, IReadOnlyList<string> columns)
    {
        var rows = new Dictionary<string, string>(StringComparer.Ordinal);
        // Records of one key are in one partition, in order; partitions are independent. A truncate clears every key
        // of its partition, which is all keys once every partition's truncate is applied in place.
        foreach (var partition in records.GroupBy(r => r.Partition))
        {
            foreach (var record in partition.OrderBy(r => r.Offset))
            {
                switch (record.Op)
                {
                    case "r" or "c" or "u":
                        rows[Text(record.After!, key)] = Row(record.After!, columns);
                        break;
                    case "d":
                        rows.Remove(Text(record.Before!, key));
                        break;
                    case "t":
                        foreach (var stale in rows.Keys.Where(k => records.Any(x => x.Partition == record.Partition && x.Key is not null && Text(x.Key, key) == k)).ToList())
                            rows.Remove(stale);
                        break;
                }
            }
        }
        return rows;
    }

    /// <summary>The table's rows as <see cref="Rows"/> shows them.</summary>
    public static async Task<Dictionary<string, string>> SourceRowsAsync(string connectionString, string table, string key, IReadOnlyList<string> columns)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var list = string.Join(", ", columns.Select(c => $"{c}::text"));
        await using var command = new NpgsqlCommand($"SELECT {key}::text, {list} FROM {table}", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new Dictionary<string, string>(StringComparer.Ordinal);
        while (await reader.ReadAsync())
            rows[reader.GetString(0)] = string.Join("|", Enumerable.Range(1, columns.Count).Select(i => reader.IsDBNull(i) ? "NULL" : reader.GetString(i)));
        return rows;
    }

    static string Text(GenericRecord record, string field) => Convert.ToString(record[field], System.Globalization.CultureInfo.InvariantCulture)!;

    static string Row(GenericRecord record, IReadOnlyList<string> columns) =>
        string.Join("|", columns.Select(c => record[c] is { } value ? Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) : "NULL"));
}
