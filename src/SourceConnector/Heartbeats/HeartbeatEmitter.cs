using Confluent.Kafka;
using KafkaCdc.Shared.AvroFormat;
using KafkaCdc.Shared.Postgres;
using KafkaCdc.Shared.SchemaRegistry.Serdes;
using KafkaCdc.SourceConnector.Checkpointing;
using KafkaCdc.SourceConnector.Status;
using Microsoft.Extensions.Logging;
using Npgsql.Replication;
using NpgsqlTypes;

namespace KafkaCdc.SourceConnector.Heartbeats;

/// <summary>
/// The heartbeat loop of a session, every <c>heartbeat.interval.ms</c> (0 disables it). Layer 1: when nothing is in
/// flight, the confirmable position follows the WAL end of the replication connection's keepalives (so an idle
/// captured database does not hold back WAL while other databases write), and a heartbeat record goes to the
/// heartbeat topic. Layer 2 (<see cref="DatabaseHeartbeat"/>): a write to the source database, per <c>heartbeat.action</c>.
/// </summary>
/// <remarks>
/// Heartbeat records are not tracked for confirmation; a failed one is logged and counted. A permanent failure of
/// the database write ends <see cref="RunAsync"/> with it, which stops the connector.
/// </remarks>
internal sealed class HeartbeatEmitter(
    TimeSpan interval, string topic, string connectorName, AvroSerializer serializer, IProducer<byte[]?, byte[]?> producer,
    LogicalReplicationConnection replication, Checkpointer checkpointer, DatabaseHeartbeat? database, SourceStatus status, ILogger logger)
{
    byte[]? _key;

    /// <summary>Runs until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (interval <= TimeSpan.Zero)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return;
        }
        // A first database heartbeat at once: a missing heartbeat table or privilege stops the start, not a later tick.
        if (database is not null) await database.BeatAsync(cancellationToken);
        using var timer = new PeriodicTimer(interval);
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            // Read the WAL end before looking at what is in flight (see Checkpointer.AdvanceIfIdle).
            var walEnd = replication.LastReceivedLsn;
            status.ServerWalEnd = walEnd;
            checkpointer.AdvanceIfIdle(walEnd);
            Send(checkpointer.ConfirmableLsn);
            if (database is not null) await database.BeatAsync(cancellationToken);
        }
    }

    void Send(NpgsqlLogSequenceNumber lsn)
    {
        _key ??= serializer.Serialize(topic, true, ChangeEventSchemas.HeartbeatKey, AvroSchemas.NewRecord(ChangeEventSchemas.HeartbeatKey, connectorName));
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var value = serializer.Serialize(topic, false, ChangeEventSchemas.HeartbeatValue,
            AvroSchemas.NewRecord(ChangeEventSchemas.HeartbeatValue, now, lsn == NpgsqlLogSequenceNumber.Invalid ? null : (long)(ulong)lsn));
        try
        {
            producer.Produce(topic, new Message<byte[]?, byte[]?> { Key = _key, Value = value }, report =>
            {
                if (!report.Error.IsError) return;
                status.RecordProduceError();
                Log.HeartbeatFailed(logger, topic, $"{report.Error.Code}: {report.Error.Reason}");
            });
            status.RecordHeartbeat();
        }
        catch (ProduceException<byte[]?, byte[]?> e)
        {
            // A full queue means the change records are waiting too; the next heartbeat tries again.
            Log.HeartbeatFailed(logger, topic, $"{e.Error.Code}: {e.Error.Reason}");
        }
    }
}
