using KafkaCdc.Shared.Postgres;
using Npgsql;
using NpgsqlTypes;

namespace KafkaCdc.SinkConnector.Destination;

/// <summary>
/// <c>kafkacdc_sink_snapshots</c> beside the offsets table: per destination table (its quoted qualified name, one row
/// however many topics write it) the source's initial snapshot and the attempt of it whose rows the table holds
/// (<see cref="SnapshotAttempt"/>), written in the same transaction as the rows. Read under the table's shared advisory
/// lock and written under its exclusive one (<see cref="TableLocks"/>), as <see cref="TruncateBarrier"/>.
/// </summary>
public sealed class SinkSnapshotsTable
{
    /// <summary>The table's name.</summary>
    public const string TableName = "kafkacdc_sink_snapshots";

    readonly string _qualified;

    /// <summary>The table in <paramref name="schema"/>.</summary>
    public SinkSnapshotsTable(string schema) => _qualified = PgIdentifier.Quote(schema, TableName);

    /// <summary>Creates the table if missing (serialised with other processes by an advisory lock).</summary>
    public Task EnsureAsync(NpgsqlConnection connection, CancellationToken cancellationToken) =>
        TableLocks.CreateIfMissingAsync(connection, _qualified, $"""
            CREATE TABLE IF NOT EXISTS {_qualified} (
                destination_table text PRIMARY KEY,
                system_identifier bigint NOT NULL,
                snapshot_lsn pg_lsn NOT NULL,
                attempt bigint NOT NULL,
                updated_at timestamptz NOT NULL DEFAULT now())
            """, cancellationToken);

    /// <summary>The rows of <paramref name="tables"/> (quoted qualified names; tables without a row are absent).</summary>
    public async Task<Dictionary<string, SnapshotAttempt>> ReadAsync(ApplyTransaction transaction, IReadOnlyCollection<string> tables, CancellationToken cancellationToken)
    {
        await using var command = transaction.Command($"SELECT destination_table, system_identifier, snapshot_lsn, attempt FROM {_qualified} WHERE destination_table = ANY($1)");
        command.Parameters.Add(new NpgsqlParameter { Value = tables.ToArray() });
        var result = new Dictionary<string, SnapshotAttempt>(tables.Count, StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var table = reader.GetString(0);
            var attempt = reader.GetInt64(3);
            if (attempt is < 0 or > uint.MaxValue)
            {
                throw new InvalidOperationException(
                    $"{_qualified}: attempt of {table} is {attempt}, not between 0 and {uint.MaxValue}: delete the row to accept every snapshot record again");
            }
            result[table] = new SnapshotAttempt(unchecked((ulong)reader.GetInt64(1)), (ulong)reader.GetFieldValue<NpgsqlLogSequenceNumber>(2), (uint)attempt);
        }
        return result;
    }

    /// <summary>Records the attempts of <paramref name="tables"/> (quoted qualified names) in the transaction.</summary>
    public async Task RecordAsync(ApplyTransaction transaction, IReadOnlyCollection<KeyValuePair<string, SnapshotAttempt>> tables, CancellationToken cancellationToken)
    {
        var ordered = tables.OrderBy(t => t.Key, StringComparer.Ordinal).ToList();
        await using var command = transaction.Command($"""
            INSERT INTO {_qualified} (destination_table, system_identifier, snapshot_lsn, attempt)
            SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[]::pg_lsn[], $4::bigint[])
            ON CONFLICT (destination_table) DO UPDATE SET system_identifier = EXCLUDED.system_identifier, snapshot_lsn = EXCLUDED.snapshot_lsn,
                attempt = EXCLUDED.attempt, updated_at = now()
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = ordered.Select(t => t.Key).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = ordered.Select(t => unchecked((long)t.Value.System)).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = ordered.Select(t => new NpgsqlLogSequenceNumber(t.Value.SnapshotLsn).ToString()).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = ordered.Select(t => (long)t.Value.Attempt).ToArray() });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
