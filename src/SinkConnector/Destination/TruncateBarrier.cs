using KafkaCdc.Shared.Postgres;
using Npgsql;

namespace KafkaCdc.SinkConnector.Destination;

/// <summary>
/// The LSN of the last truncate applied to each destination table, in <c>kafkacdc_sink_truncates</c> next to the
/// offsets table (contract: a truncate is sent to every partition; the sink truncates once per distinct LSN and skips
/// later-arriving records of the table whose LSN is lower, as they were committed before the TRUNCATE).
/// </summary>
/// <remarks>
/// Read under the table's shared advisory lock and written under its exclusive one (<see cref="TableLocks"/>), so a
/// batch that read the barrier cannot see a truncate commit before it does: its rows are either removed by the
/// truncate or written after it with LSNs past the barrier.
/// </remarks>
public sealed class TruncateBarrier
{
    /// <summary>The table's name.</summary>
    public const string TableName = "kafkacdc_sink_truncates";

    readonly string _qualified;

    /// <summary>The barrier table in <paramref name="schema"/>.</summary>
    public TruncateBarrier(string schema) => _qualified = PgIdentifier.Quote(schema, TableName);

    /// <summary>Creates the table if missing.</summary>
    public Task EnsureAsync(NpgsqlConnection connection, CancellationToken cancellationToken) =>
        TableLocks.CreateIfMissingAsync(connection, _qualified, $"""
            CREATE TABLE IF NOT EXISTS {_qualified} (
                table_schema text NOT NULL,
                table_name text NOT NULL,
                lsn bigint NOT NULL,
                truncated_at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (table_schema, table_name))
            """, cancellationToken);

    /// <summary>The LSN of the last truncate of <paramref name="table"/> in <paramref name="schema"/> (read once per transaction), or null.</summary>
    public async Task<long?> ReadAsync(ApplyTransaction transaction, string schema, string table, CancellationToken cancellationToken)
    {
        var key = PgIdentifier.Quote(schema, table);
        if (transaction.Barriers.TryGetValue(key, out var known)) return known;
        await using var command = transaction.Command($"SELECT lsn FROM {_qualified} WHERE table_schema = $1 AND table_name = $2");
        command.Parameters.Add(new NpgsqlParameter { Value = schema });
        command.Parameters.Add(new NpgsqlParameter { Value = table });
        var lsn = await command.ExecuteScalarAsync(cancellationToken) as long?;
        transaction.Barriers[key] = lsn;
        return lsn;
    }

    /// <summary>Records <paramref name="lsn"/> as the table's last truncate (under its exclusive lock).</summary>
    public async Task RecordAsync(ApplyTransaction transaction, string schema, string table, long lsn, CancellationToken cancellationToken)
    {
        await using var command = transaction.Command($"""
            INSERT INTO {_qualified} (table_schema, table_name, lsn) VALUES ($1, $2, $3)
            ON CONFLICT (table_schema, table_name) DO UPDATE SET lsn = EXCLUDED.lsn, truncated_at = now()
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = schema });
        command.Parameters.Add(new NpgsqlParameter { Value = table });
        command.Parameters.Add(new NpgsqlParameter { Value = lsn });
        await command.ExecuteNonQueryAsync(cancellationToken);
        transaction.Barriers[PgIdentifier.Quote(schema, table)] = lsn;
    }
}
