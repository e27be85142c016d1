using System.Buffers;
using System.Text;
using System.Threading.Channels;
using KafkaCdc.SourceConnector.ChangeEvents;
using KafkaCdc.SourceConnector.Checkpointing;
using KafkaCdc.SourceConnector.Status;
using Microsoft.Extensions.Logging;
using Npgsql;
using Npgsql.Replication;
using Npgsql.Replication.PgOutput;
using Npgsql.Replication.PgOutput.Messages;
using NpgsqlTypes;

namespace KafkaCdc.SourceConnector.Replication;

/// <summary>
/// Reads the pgoutput stream (protocol version 1, text values, no streaming of in-progress transactions) and turns
/// it into <see cref="ChangeEvent"/>s and <see cref="TransactionCommit"/>s for the publisher.
/// </summary>
/// <remarks>
/// <para><b>Hand-off</b>: the bounded channel given to the constructor; when it is full the reader waits, so the
/// stream stops being read and PostgreSQL keeps the WAL (memory stays bounded whatever the transaction size:
/// PostgreSQL spills large transactions to disk itself, and changes are passed on as they arrive). Items are owned
/// by the channel's reader once written. A failure of the reader ends <see cref="RunAsync"/> with the exception; a
/// closed channel (the session stopping) ends it quietly.</para>
/// <para>Npgsql's messages are only valid until the next one is read, so every value is copied out first. Each
/// transaction is registered with the <see cref="Checkpointer"/> at BEGIN, before the next message is read (the
/// rule that makes idle advancement safe).</para>
/// <para>Stopping (<see cref="RequestStop"/>) leaves the replication connection streaming, without reading further,
/// so the last position can still be confirmed on it; cancelling the token then ends <see cref="RunAsync"/>.</para>
/// </remarks>
internal sealed class ChangeStreamReader(
    LogicalReplicationConnection replication, string slotName, string publication, ulong startLsn, RelationCache relations,
    NpgsqlConnection catalogConnection, Checkpointer checkpointer, ChannelWriter<PipelineItem> output, SourceStatus status, ILogger logger)
{
    volatile bool _stopRequested;
    TransactionProgress? _transaction;
    long? _transactionId;
    long _commitTimeMicros;
    ulong? _lastCommitLsn;

    /// <summary>Stops reading after the message in hand; the connection keeps streaming until the token is cancelled.</summary>
    public void RequestStop() => _stopRequested = true;

    /// <summary>Streams from the start position until stopped, cancelled or failed.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var options = new PgOutputReplicationOptions(publication, PgOutputProtocolVersion.V1);
        var slot = new PgOutputReplicationSlot(slotName);
        Log.StreamingFrom(logger, slotName, publication, new NpgsqlLogSequenceNumber(startLsn).ToString());
        await using var messages = replication.StartReplication(slot, options, cancellationToken, new NpgsqlLogSequenceNumber(startLsn))
            .GetAsyncEnumerator(cancellationToken);
        while (!_stopRequested)
        {
            if (!await messages.MoveNextAsync())
                throw new SourceConnectorException(FailureKind.Transient, $"PostgreSQL ended the replication stream of slot {slotName}");
            if (_stopRequested || !await HandleAsync(messages.Current, cancellationToken)) break;
        }
        // Keep the replication connection in streaming mode until the session has confirmed its last position.
        await Task.Delay(Timeout.Infinite, cancellationToken);
    }

    /// <returns>False when the channel was closed (the session is stopping).</returns>
    async ValueTask<bool> HandleAsync(PgOutputReplicationMessage message, CancellationToken cancellationToken)
    {
        switch (message)
        {
            case BeginMessage begin:
                _transactionId = begin.TransactionXid;
                _commitTimeMicros = UnixMicros(begin.TransactionCommitTimestamp);
                _transaction = checkpointer.Begin(_transactionId, (ulong)begin.TransactionFinalLsn);
                return true;
            case CommitMessage commit:
                var transaction = Transaction(commit);
                _transaction = null;
                _lastCommitLsn = (ulong)commit.CommitLsn;
                status.CurrentLsn = (ulong)commit.TransactionEndLsn;
                return await EmitAsync(new TransactionCommit(transaction, (ulong)commit.TransactionEndLsn), cancellationToken);
            case RelationMessage relation:
                await relations.OnRelationAsync(relation, catalogConnection, cancellationToken);
                return true;
            case InsertMessage insert when relations.Captured(insert.Relation.RelationId) is { } table:
                return await EmitAsync(Change(ChangeOperation.Create, table, insert, null, await ReadRowAsync(insert.NewRow, cancellationToken)), cancellationToken);
            case FullUpdateMessage update when relations.Captured(update.Relation.RelationId) is { } table:
                var oldRow = await ReadRowAsync(update.OldRow, cancellationToken);
                return await EmitAsync(Change(ChangeOperation.Update, table, update, oldRow, await ReadRowAsync(update.NewRow, cancellationToken)), cancellationToken);
            case IndexUpdateMessage update when relations.Captured(update.Relation.RelationId) is { } table:
                var oldKey = await ReadRowAsync(update.Key, cancellationToken);
                return await EmitAsync(Change(ChangeOperation.Update, table, update, oldKey, await ReadRowAsync(update.NewRow, cancellationToken)), cancellationToken);
            case UpdateMessage update when relations.Captured(update.Relation.RelationId) is { } table:
                return await EmitAsync(Change(ChangeOperation.Update, table, update, null, await ReadRowAsync(update.NewRow, cancellationToken)), cancellationToken);
            case FullDeleteMessage delete when relations.Captured(delete.Relation.RelationId) is { } table:
                return await EmitAsync(Change(ChangeOperation.Delete, table, delete, await ReadRowAsync(delete.OldRow, cancellationToken), null), cancellationToken);
            case KeyDeleteMessage delete when relations.Captured(delete.Relation.RelationId) is { } table:
                return await EmitAsync(Change(ChangeOperation.Delete, table, delete, await ReadRowAsync(delete.Key, cancellationToken), null), cancellationToken);
            case TruncateMessage truncate:
                foreach (var relation in truncate.Relations)
                {
                    if (relations.Captured(relation.RelationId) is not { } table) continue;
                    if (!await EmitAsync(Change(ChangeOperation.Truncate, table, truncate, null, null), cancellationToken)) return false;
                }
                return true;
            default:
                // Changes of relations that are published but not captured (heartbeat and signal tables, filtered
                // tables) are consumed: their transactions still move the confirmed position. Type and Origin
                // messages carry nothing the records need.
                return true;
        }
    }

    ChangeEvent Change(ChangeOperation operation, CapturedTable table, PgOutputReplicationMessage message, RowImage? before, RowImage? after)
    {
        var lsn = (ulong)message.WalStart;
        status.CurrentLsn = lsn;
        return new ChangeEvent(operation, table, before, after,
            new SourceInfo(_transactionId, lsn, _lastCommitLsn, _commitTimeMicros), Transaction(message));
    }

    TransactionProgress Transaction(PgOutputReplicationMessage message) =>
        _transaction ?? throw new SourceConnectorException(FailureKind.Transient,
            $"pgoutput sent {message.GetType().Name} at LSN {message.WalStart} outside a transaction");

    async ValueTask<bool> EmitAsync(PipelineItem item, CancellationToken cancellationToken)
    {
        if (output.TryWrite(item)) return true;
        try
        {
            await output.WriteAsync(item, cancellationToken);
            return true;
        }
        catch (ChannelClosedException)
        {
            return false;
        }
    }

    static async ValueTask<RowImage> ReadRowAsync(ReplicationTuple tuple, CancellationToken cancellationToken)
    {
        var values = new string?[tuple.NumColumns];
        bool[]? unchanged = null;
        var i = 0;
        await foreach (var value in tuple.WithCancellation(cancellationToken))
        {
            switch (value.Kind)
            {
                case TupleDataKind.Null:
                    break;
                case TupleDataKind.UnchangedToastedValue:
                    (unchanged ??= new bool[values.Length])[i] = true;
                    break;
                default:
                    values[i] = await ReadTextAsync(value, cancellationToken);
                    break;
            }
            i++;
        }
        return new RowImage(values, unchanged);
    }

    /// <summary>The value's UTF-8 text (pgoutput's text format under the session's client_encoding, UTF8).</summary>
    static async ValueTask<string> ReadTextAsync(ReplicationValue value, CancellationToken cancellationToken)
    {
        var length = value.Length;
        if (length == 0) return "";
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            await using var stream = value.GetStream();
            await stream.ReadExactlyAsync(buffer.AsMemory(0, length), cancellationToken);
            return System.Text.Encoding.UTF8.GetString(buffer, 0, length);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    static long UnixMicros(DateTime time) => (time.ToUniversalTime().Ticks - DateTime.UnixEpoch.Ticks) / 10;
}
