using KafkaCdc.Shared.Postgres;
using Npgsql;

namespace KafkaCdc.Demo.Verdict;

/// <summary>
/// Compares a source table with its destination table on content, as the pipeline tests do
/// (tests/KafkaCdc.Tests/Pipeline/PipelineCompare.cs): on the source's live columns, by name, each row as
/// <c>ROW(...)::text</c> under the pinned session settings (<see cref="PgSessionSettings"/>), so both ends print values
/// alike; a column the destination lacks reads as NULL there (a difference, not an error). Both sides reduce to one
/// <c>md5</c> over the rows in primary-key order; only when those differ are the rows walked to find the first key that
/// differs.
/// </summary>
internal sealed class TableComparison(string sourceDb, string destinationDb)
{
    readonly string _sourceDb = PgSessionSettings.Pin(sourceDb);
    readonly string _destinationDb = PgSessionSettings.Pin(destinationDb);

    /// <summary>Compares <c>public.<paramref name="table"/></c> with <paramref name="destinationTable"/> (quoted).</summary>
    public async Task<TableVerdict> CompareAsync(string table, string destinationTable, CancellationToken cancellationToken)
    {
        var sourceTable = PgIdentifier.Quote("public", table);
        await using var source = new NpgsqlConnection(_sourceDb);
        await source.OpenAsync(cancellationToken);
        await using var destination = new NpgsqlConnection(_destinationDb);
        await destination.OpenAsync(cancellationToken);
        var columns = await ColumnsAsync(source, sourceTable, cancellationToken);
        var key = await KeyColumnsAsync(source, sourceTable, cancellationToken);
        if (key.Count == 0) key = columns;
        var sourceRows = await CountAsync(source, sourceTable, cancellationToken);
        if (!await ExistsAsync(destination, destinationTable, cancellationToken))
            return new TableVerdict(table, sourceRows, null, sourceRows == 0, sourceRows == 0 ? null : "the destination table does not exist");
        var present = (await ColumnsAsync(destination, destinationTable, cancellationToken)).ToHashSet(StringComparer.Ordinal);
        var sourceRow = RowText(columns, _ => true);
        var destinationRow = RowText(columns, present.Contains);
        var order = string.Join(", ", key.Select(c => "t." + PgIdentifier.Quote(c)));
        var destinationRows = await CountAsync(destination, destinationTable, cancellationToken);
        var sourceDigest = await DigestAsync(source, sourceRow, sourceTable, order, cancellationToken);
        var destinationDigest = await DigestAsync(destination, destinationRow, destinationTable, order, cancellationToken);
        if (sourceDigest == destinationDigest) return new TableVerdict(table, sourceRows, destinationRows, true, null);
        var keyText = RowText(key, _ => true);
        return new TableVerdict(table, sourceRows, destinationRows, false, await FirstDifferenceAsync(
            source, $"SELECT {keyText}, {sourceRow} FROM {sourceTable} t ORDER BY {order}",
            destination, $"SELECT {RowText(key, present.Contains)}, {destinationRow} FROM {destinationTable} t ORDER BY {order}", cancellationToken));
    }

    static string RowText(IReadOnlyList<string> columns, Func<string, bool> present) =>
        $"ROW({string.Join(", ", columns.Select(c => present(c) ? "t." + PgIdentifier.Quote(c) : "NULL"))})::text";

    /// <summary>Walks both sides in key order to the first key only on one side, or with other content.</summary>
    static async Task<string> FirstDifferenceAsync(NpgsqlConnection source, string sourceSql, NpgsqlConnection destination,
        string destinationSql, CancellationToken cancellationToken)
    {
        await using var sourceCommand = new NpgsqlCommand(sourceSql, source);
        await using var destinationCommand = new NpgsqlCommand(destinationSql, destination);
        await using var left = await sourceCommand.ExecuteReaderAsync(cancellationToken);
        await using var right = await destinationCommand.ExecuteReaderAsync(cancellationToken);
        // Key order is the same at both ends only for keys of the same types and collation: the demo's keys are integers.
        while (true)
        {
            var hasLeft = await left.ReadAsync(cancellationToken);
            var hasRight = await right.ReadAsync(cancellationToken);
            if (!hasLeft && !hasRight) return "same rows, same order, other digest (key order differs between the ends?)";
            if (!hasLeft) return $"key {right.GetString(0)} only at the destination";
            if (!hasRight) return $"key {left.GetString(0)} only at the source";
            if (left.GetString(0) != right.GetString(0))
                return $"key {left.GetString(0)} at the source, {right.GetString(0)} at the destination in its place";
            if (left.GetString(1) != right.GetString(1))
                return $"key {left.GetString(0)}: source {Shorten(left.GetString(1))}, destination {Shorten(right.GetString(1))}";
        }
    }

    static string Shorten(string text) => text.Length <= 120 ? text : text[..120] + "…";

    static async Task<string?> DigestAsync(NpgsqlConnection connection, string row, string table, string order, CancellationToken cancellationToken) =>
        (string?)await ScalarAsync(connection, $"SELECT md5(coalesce(string_agg({row}, E'\\n' ORDER BY {order}), '')) FROM {table} t", cancellationToken);

    static async Task<long> CountAsync(NpgsqlConnection connection, string table, CancellationToken cancellationToken) =>
        (long)(await ScalarAsync(connection, $"SELECT count(*) FROM {table}", cancellationToken))!;

    static async Task<bool> ExistsAsync(NpgsqlConnection connection, string table, CancellationToken cancellationToken) =>
        (bool)(await ScalarAsync(connection, $"SELECT to_regclass('{table.Replace("'", "''", StringComparison.Ordinal)}') IS NOT NULL", cancellationToken))!;

    static async Task<List<string>> ColumnsAsync(NpgsqlConnection connection, string table, CancellationToken cancellationToken) =>
        await TextsAsync(connection,
            $"SELECT attname FROM pg_attribute WHERE attrelid = '{table.Replace("'", "''", StringComparison.Ordinal)}'::regclass " +
            "AND attnum > 0 AND NOT attisdropped ORDER BY attnum", cancellationToken);

    static async Task<List<string>> KeyColumnsAsync(NpgsqlConnection connection, string table, CancellationToken cancellationToken) =>
        await TextsAsync(connection,
            "SELECT a.attname FROM pg_index i CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY k(attnum, n) " +
            "JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum " +
            $"WHERE i.indrelid = '{table.Replace("'", "''", StringComparison.Ordinal)}'::regclass AND i.indisprimary ORDER BY k.n", cancellationToken);

    static async Task<object?> ScalarAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync(cancellationToken);
    }

    static async Task<List<string>> TextsAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        var texts = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) texts.Add(reader.GetString(0));
        return texts;
    }
}
