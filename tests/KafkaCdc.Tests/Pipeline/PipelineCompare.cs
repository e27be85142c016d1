using KafkaCdc.Shared.Postgres;
using KafkaCdc.Tests.SinkConnector.Support;
using KafkaCdc.Tests.SourceConnector;
using Npgsql;

namespace KafkaCdc.Tests.Pipeline;

/// <summary>
/// The pipeline tests' verdict: a source table and its destination table hold the same rows, compared on the source's
/// columns (by name, in the source's order) as <c>ROW(...)::text</c>, so columns the destination keeps and the source no
/// longer has (dropped or renamed there) do not count. Polls until equal; on timeout fails listing the rows only on one
/// side, the columns that differ by <c>id</c> (when the table has one), and the tails of both connectors' logs.
/// </summary>
internal static class PipelineCompare
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    /// <summary>
    /// Waits until <paramref name="destinationTable"/> (in the sink's schema) equals <paramref name="sourceTable"/> (unqualified: <c>public</c>; or
    /// <c>schema.table</c> quoted as needed); with <paramref name="destinationWhere"/> (a condition on the destination's columns, alias <c>t</c>),
    /// only its rows meeting it (<c>NOT t.__deleted</c>: the rows soft deletes left unmarked).
    /// </summary>
    public static async Task UntilEqualAsync(SourceTestDatabase source, string sourceTable, SinkDestination destination, string destinationTable, string what,
        InProcessConnector connector, InProcessSink sink, TimeSpan? timeout = null, string? destinationWhere = null)
    {
        List<string> expected = [], actual = [];
        try
        {
            await Poll.UntilAsync(async () =>
            {
                (expected, actual) = await RowTextsAsync(source, sourceTable, destination, destinationTable, destinationWhere);
                return expected.SequenceEqual(actual);
            }, timeout ?? Timeout, $"destination table {destinationTable} to equal source table {sourceTable} after {what}");
        }
        catch (AssertionException e)
        {
            var indent = Environment.NewLine + "  ";
            Assert.Fail(string.Join(Environment.NewLine,
                e.Message,
                $"{expected.Count} rows at the source, {actual.Count} at the destination",
                "only in the source:" + indent + string.Join(indent, expected.Except(actual).Take(20)),
                "only in the destination:" + indent + string.Join(indent, actual.Except(expected).Take(20)),
                "columns that differ, by id:" + indent + string.Join(indent, (await DifferingColumnsAsync(source, sourceTable, destination, destinationTable)).Take(20)),
                "source connector log:" + indent + string.Join(indent, connector.LogLines.TakeLast(15)),
                "sink log:" + indent + string.Join(indent, sink.Logging.Text.Split(Environment.NewLine).TakeLast(25))));
        }
    }

    /// <summary>
    /// Both sides' rows on the source's columns, sorted; the destination's is empty while its table does not exist, and
    /// a source column missing at the destination reads as NULL there (so it counts as a difference, not an error); with
    /// <paramref name="destinationWhere"/>, the destination's rows meeting it.
    /// </summary>
    public static async Task<(List<string> Source, List<string> Destination)> RowTextsAsync(SourceTestDatabase source, string sourceTable,
        SinkDestination destination, string destinationTable, string? destinationWhere = null)
    {
        var columns = await SourceColumnsAsync(source, sourceTable);
        var expected = await QueryTextsAsync(PgSessionSettings.Pin(source.ConnectionString),
            $"SELECT ROW({string.Join(", ", columns.Select(c => "t." + PgIdentifier.Quote(c)))})::text FROM {sourceTable} t");
        if (!await destination.TableExistsAsync(destinationTable)) return (expected, []);
        var present = await DestinationColumnsAsync(destination, destinationTable);
        var actual = await QueryTextsAsync(destination.AdminConnectionString,
            $"SELECT ROW({string.Join(", ", columns.Select(c => present.Contains(c) ? "t." + PgIdentifier.Quote(c) : "NULL"))})::text " +
            $"FROM {PgIdentifier.Quote(destination.Schema, destinationTable)} t" + (destinationWhere is null ? "" : $" WHERE {destinationWhere}"));
        return (expected, actual);
    }

    /// <summary>The live columns of <paramref name="table"/> at the source, in attribute order (generated columns included).</summary>
    public static async Task<List<string>> SourceColumnsAsync(SourceTestDatabase source, string table)
    {
        var names = await QueryTextsAsync(PgSessionSettings.Pin(source.ConnectionString),
            $"SELECT lpad(attnum::text, 5, '0') || ' ' || attname FROM pg_attribute WHERE attrelid = '{table.Replace("'", "''", StringComparison.Ordinal)}'::regclass AND attnum > 0 AND NOT attisdropped");
        return names.Select(n => n[6..]).ToList();
    }

    static async Task<HashSet<string>> DestinationColumnsAsync(SinkDestination destination, string table) =>
        [.. await QueryTextsAsync(destination.AdminConnectionString,
            $"SELECT attname FROM pg_attribute WHERE attrelid = '{PgIdentifier.Quote(destination.Schema, table).Replace("'", "''", StringComparison.Ordinal)}'::regclass AND attnum > 0 AND NOT attisdropped")];

    /// <summary>For rows present on both sides (by <c>id</c>) with different contents: the id and the columns that differ.</summary>
    static async Task<List<string>> DifferingColumnsAsync(SourceTestDatabase source, string sourceTable, SinkDestination destination, string destinationTable)
    {
        try
        {
            var sourceRows = await JsonRowsAsync(PgSessionSettings.Pin(source.ConnectionString), sourceTable);
            var destinationRows = await JsonRowsAsync(destination.AdminConnectionString, PgIdentifier.Quote(destination.Schema, destinationTable));
            var differences = new List<string>();
            foreach (var (id, row) in sourceRows)
            {
                if (!destinationRows.TryGetValue(id, out var other)) continue;
                var columns = row.Where(c => !other.TryGetValue(c.Key, out var v) || v != c.Value)
                    .Select(c => $"{c.Key}: source {Shorten(c.Value)}, destination {Shorten(other.GetValueOrDefault(c.Key))}");
                differences.AddRange(columns.Select(c => $"id {id}: {c}"));
            }
            return differences;
        }
        catch (PostgresException e)
        {
            return [$"(not compared by id: {e.MessageText})"];
        }
    }

    static string Shorten(string? text) => text is null ? "(missing)" : text.Length <= 80 ? text : text[..80] + $"... ({text.Length} chars)";

    static async Task<Dictionary<string, Dictionary<string, string>>> JsonRowsAsync(string connectionString, string table)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            $"SELECT t.id::text, j.key, j.value::text FROM {table} t, jsonb_each(to_jsonb(t)) j", connection);
        var rows = new Dictionary<string, Dictionary<string, string>>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            if (!rows.TryGetValue(reader.GetString(0), out var row)) rows[reader.GetString(0)] = row = [];
            row[reader.GetString(1)] = reader.GetString(2);
        }
        return rows;
    }

    static async Task<List<string>> QueryTextsAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        var rows = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) rows.Add(reader.IsDBNull(0) ? "" : reader.GetString(0));
        rows.Sort(StringComparer.Ordinal);
        return rows;
    }
}
