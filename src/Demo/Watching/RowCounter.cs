using KafkaCdc.Shared.Postgres;
using Npgsql;

namespace KafkaCdc.Demo.Watching;

/// <summary>
/// <c>count(*)</c> of every demo table at the source and at the destination (the sink's table of the same name with the
/// topic prefix): a few tens of milliseconds for the demo's few hundred thousand rows, done every few seconds.
/// </summary>
internal sealed class RowCounter(DemoOptions options)
{
    /// <summary>The source's tables of the <c>public</c> schema, by name.</summary>
    public async Task<IReadOnlyList<string>> SourceTablesAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(options.SourceDb);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename", connection);
        var tables = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) tables.Add(reader.GetString(0));
        return tables;
    }

    /// <summary>The destination table of source table <paramref name="table"/>, quoted.</summary>
    public string DestinationTable(string table) => PgIdentifier.Quote(options.DestinationSchema, options.TopicPrefix + table);

    /// <summary>Both counts of every table in <paramref name="tables"/>.</summary>
    public async Task<IReadOnlyList<TableCounts>> CountAsync(IReadOnlyList<string> tables, CancellationToken cancellationToken)
    {
        var source = await CountAsync(options.SourceDb, tables.Select(t => PgIdentifier.Quote("public", t)).ToList(), cancellationToken);
        var destination = await CountAsync(options.DestinationDb, tables.Select(DestinationTable).ToList(), cancellationToken);
        return [.. tables.Select((t, i) => new TableCounts(t, source[i] ?? 0, destination[i]))];
    }

    static async Task<long?[]> CountAsync(string connectionString, IReadOnlyList<string> tables, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        var counts = new long?[tables.Count];
        for (var i = 0; i < tables.Count; i++)
        {
            await using var exists = new NpgsqlCommand("SELECT to_regclass(@table) IS NOT NULL", connection);
            exists.Parameters.AddWithValue("table", tables[i]);
            if (!(bool)(await exists.ExecuteScalarAsync(cancellationToken))!) continue;
            await using var count = new NpgsqlCommand($"SELECT count(*) FROM {tables[i]}", connection);
            counts[i] = (long)(await count.ExecuteScalarAsync(cancellationToken))!;
        }
        return counts;
    }
}
