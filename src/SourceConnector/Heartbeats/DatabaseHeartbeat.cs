using KafkaCdc.Shared.Failures;
using KafkaCdc.SourceConnector.Configuration;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace KafkaCdc.SourceConnector.Heartbeats;

/// <summary>
/// Layer 2 of the heartbeats, for read-write connections: a write to the source database on every heartbeat, so the
/// captured database produces WAL (and, for the table, a change in the stream) even when nothing else is written.
/// <c>table</c> updates the heartbeat table's first row as the seed's job does, inserting it when the table is empty;
/// <c>logical_message</c> calls <c>pg_logical_emit_message</c> (PostgreSQL 14 and later).
/// </summary>
/// <remarks>Uses its own connection, opened on first use and reopened after a failure.</remarks>
internal sealed class DatabaseHeartbeat(string connectionString, HeartbeatAction action, TableName table, string connectorName, ILogger logger)
    : IAsyncDisposable
{
    NpgsqlConnection? _connection;

    /// <summary>Writes one heartbeat.</summary>
    /// <exception cref="SourceConnectorException">The write is refused for a reason retrying cannot fix (no table, no privilege): permanent.</exception>
    public async Task BeatAsync(CancellationToken cancellationToken)
    {
        var sql = action switch
        {
            HeartbeatAction.Table => $"""
                WITH updated AS (
                  UPDATE {table.Quoted} SET text = $1, last_update = CURRENT_TIMESTAMP
                  WHERE id = (SELECT min(id) FROM {table.Quoted}) RETURNING 1)
                INSERT INTO {table.Quoted} (text) SELECT $1 WHERE NOT EXISTS (SELECT 1 FROM updated)
                """,
            HeartbeatAction.LogicalMessage => "SELECT pg_logical_emit_message(false, 'kafkacdc_heartbeat', $1)",
            _ => null,
        };
        if (sql is null) return;
        try
        {
            if (_connection is null)
            {
                _connection = new NpgsqlConnection(connectionString);
                await _connection.OpenAsync(cancellationToken);
            }
            await using var command = new NpgsqlCommand(sql, _connection) { Parameters = { new() { Value = $"kafkacdc heartbeat of {connectorName}" } } };
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (Exception e) when (e is NpgsqlException && FailureClassifier.Classify(e) == FailureKind.Transient)
        {
            Log.DatabaseHeartbeatFailed(logger, e.Message);
            await DisposeAsync();
        }
        catch (PostgresException e)
        {
            await DisposeAsync();
            var what = action == HeartbeatAction.Table
                ? $"update the heartbeat table {table.Quoted} ({SourceOptions.HeartbeatTableKey}); create it and grant SELECT, INSERT, UPDATE on it " +
                  "and USAGE on its sequence as in schemas/sql/source-setup.sql"
                : "call pg_logical_emit_message (PostgreSQL 14 or later)";
            throw new SourceConnectorException(FailureKind.Permanent,
                $"The heartbeat (heartbeat.action={(action == HeartbeatAction.Table ? "table" : "logical_message")}) could not {what}, " +
                $"or set heartbeat.action=none: {e.SqlState}: {e.MessageText}", e);
        }
    }

    /// <summary>Closes the connection.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_connection is not null) await _connection.DisposeAsync();
        _connection = null;
    }
}
