using System.Threading.Channels;
using KafkaCdc.Shared.Postgres;
using KafkaCdc.SourceConnector.ChangeEvents;
using KafkaCdc.SourceConnector.Checkpointing;
using KafkaCdc.SourceConnector.Status;
using Microsoft.Extensions.Logging;
using Npgsql;
using Npgsql.Replication;
using Npgsql.Replication.Internal;
using Npgsql.Replication.PgOutput;
using NpgsqlTypes;

namespace KafkaCdc.SourceConnector.Replication;

/// <summary>
/// Reads the pgoutput stream (protocol version 1, text values, no streaming of in-progress transactions) and turns
/// it into <see cref="ChangeEvent"/>s and <see cref="TransactionCommit"/>s for the publisher.
/// </summary>
/// <remarks>
/// <para>Npgsql delivers each pgoutput message as the payload of an XLogData message; the reader copies the payload
/// into its buffer and parses it itself (<see cref="PgOutputCursor"/>): one read per message instead of one per
/// column value, which makes this stage several times cheaper than Npgsql's per-value API.</para>
/// <para><b>Hand-off</b>: the bounded channel of <see cref="PipelineBatch"/>es given to the constructor, a batch sent
/// when full or when the reader is about to wait for the server; when the channel is full the reader waits, so the
/// stream stops being read and PostgreSQL keeps the WAL (memory stays bounded whatever the transaction size:
/// PostgreSQL spills large transactions to disk itself, and changes are passed on as they arrive). Items are owned
/// by the channel's reader once written. A failure of the reader ends <see cref="RunAsync"/> with the exception; a
/// closed channel (the session stopping) ends it quietly.</para>
/// <para>Each transaction is registered with the <see cref="Checkpointer"/> at BEGIN, before the next message is
/// read (the rule that makes idle advancement safe).</para>
/// <para>Stopping (<see cref="RequestStop"/>) leaves the replication connection streaming, without reading further,
/// so the last position can still be confirmed on it; cancelling the token then ends <see cref="RunAsync"/>.</para>
/// </remarks>
internal sealed class ChangeStreamReader(
    LogicalReplicationConnection replication, string slotName, string publication, ulong startLsn, RelationCache relations,
    NpgsqlConnection catalogConnection, Checkpointer checkpointer, ChannelWriter<PipelineBatch> output, SourceStatus status, ILogger logger)
{
    /// <summary>Microseconds between the Unix epoch and PostgreSQL's (2000-01-01).</summary>
    const long PostgresEpochMicros = 946_684_800_000_000;

    const int InitialBuffer = 64 * 1024;
    const int LargeBuffer = 4 * 1024 * 1024;

    volatile bool _stopRequested;
    byte[] _buffer = new byte[InitialBuffer];
    readonly List<PipelineItem> _pending = new(PipelineBatch.MaxItems);
    TransactionProgress? _transaction;
    long? _transactionId;
    long _commitTimeMicros;
    ulong? _lastCommitLsn;

    /// <summary>Stops reading after the message in hand; the connection keeps streaming until the token is cancelled.</summary>
    public void RequestStop() => _stopRequested = true;

    /// <summary>Streams from the start position until stopped, cancelled or failed.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        LogicalReplicationSlot slot = new PgOutputReplicationSlot(slotName);
        var options = new Dictionary<string, string?>
        {
            ["proto_version"] = "1",
            ["publication_names"] = PgIdentifier.Quote(publication),
        };
        Log.StreamingFrom(logger, slotName, publication, new NpgsqlLogSequenceNumber(startLsn).ToString());
        await using var messages = replication.StartLogicalReplication(slot, cancellationToken, new NpgsqlLogSequenceNumber(startLsn), options)
            .GetAsyncEnumerator(cancellationToken);
        while (!_stopRequested)
        {
            var next = messages.MoveNextAsync();
            // About to wait for the server: hand over what was read so far first.
            if (!next.IsCompleted && !await FlushAsync(cancellationToken))
            {
                await next;
                break;
            }
            if (!await next)
                throw new SourceConnectorException(FailureKind.Transient, $"PostgreSQL ended the replication stream of slot {slotName}");
            if (_stopRequested) break;
            var length = await ReadPayloadAsync(messages.Current.Data, cancellationToken);
            if (!await HandleAsync(length, (ulong)messages.Current.WalStart, cancellationToken)) break;
            // A huge value grew the buffer: let it go, so one outlier does not keep its memory for the session.
            if (_buffer.Length > LargeBuffer) _buffer = new byte[InitialBuffer];
        }
        // Keep the replication connection in streaming mode until the session has confirmed its last position.
        await Task.Delay(Timeout.Infinite, cancellationToken);
    }

    /// <summary>Copies the message into <see cref="_buffer"/> (grown as needed); returns its length.</summary>
    async ValueTask<int> ReadPayloadAsync(Stream data, CancellationToken cancellationToken)
    {
        var length = 0;
        while (true)
        {
            if (length == _buffer.Length) Array.Resize(ref _buffer, _buffer.Length * 2);
            var read = await data.ReadAsync(_buffer.AsMemory(length), cancellationToken);
            if (read == 0) return length;
            length += read;
        }
    }

    /// <returns>False when the channel was closed (the session is stopping).</returns>
    ValueTask<bool> HandleAsync(int length, ulong lsn, CancellationToken cancellationToken)
    {
        var message = new PgOutputCursor(_buffer.AsSpan(0, length));
        switch ((char)message.Byte())
        {
            case 'B':
                var finalLsn = message.Lsn();
                _commitTimeMicros = message.Int64() + PostgresEpochMicros;
                _transactionId = message.UInt32();
                _transaction = checkpointer.Begin(_transactionId, finalLsn);
                return ValueTask.FromResult(true);
            case 'C':
                message.Byte(); // flags
                var commitLsn = message.Lsn();
                var endLsn = message.Lsn();
                var transaction = Transaction('C', lsn);
                _transaction = null;
                _lastCommitLsn = commitLsn;
                status.CurrentLsn = endLsn;
                return EmitAsync(new TransactionCommit(transaction, endLsn), cancellationToken);
            case 'R':
                return RelationAsync(ReadRelation(ref message), cancellationToken);
            case 'I':
                if (relations.Captured(message.UInt32()) is not { } inserted) return ValueTask.FromResult(true);
                message.Byte(); // 'N'
                return EmitAsync(Change(ChangeOperation.Create, inserted, lsn, null, message.Tuple(), 'I'), cancellationToken);
            case 'U':
                if (relations.Captured(message.UInt32()) is not { } updated) return ValueTask.FromResult(true);
                RowImage? before = null;
                var part = (char)message.Byte();
                var fullOldRow = part == 'O';
                if (part is 'K' or 'O')
                {
                    before = message.Tuple();
                    part = (char)message.Byte();
                }
                if (part != 'N') throw new FormatException($"pgoutput Update at LSN {new NpgsqlLogSequenceNumber(lsn)} has part '{part}' where N was expected");
                var after = message.Tuple();
                if (fullOldRow) after = RowImage.WithUnchangedToastFrom(after, before!);
                return EmitAsync(Change(ChangeOperation.Update, updated, lsn, before, after, 'U'), cancellationToken);
            case 'D':
                if (relations.Captured(message.UInt32()) is not { } deleted) return ValueTask.FromResult(true);
                message.Byte(); // 'K' or 'O'
                return EmitAsync(Change(ChangeOperation.Delete, deleted, lsn, message.Tuple(), null, 'D'), cancellationToken);
            case 'T':
                var count = message.Int32();
                message.Byte(); // options: CASCADE, RESTART IDENTITY
                var truncated = new List<CapturedTable>(count);
                for (var i = 0; i < count; i++)
                {
                    if (relations.Captured(message.UInt32()) is { } table) truncated.Add(table);
                }
                return TruncateAsync(truncated, lsn, cancellationToken);
            default:
                // Type ('Y') and Origin ('O') messages carry nothing the records need. Changes of relations that are
                // published but not captured (heartbeat and signal tables, filtered tables) were skipped above: their
                // transactions still move the confirmed position.
                return ValueTask.FromResult(true);
        }
    }

    static RelationDescription ReadRelation(ref PgOutputCursor message)
    {
        var relationId = message.UInt32();
        var ns = message.String();
        var name = message.String();
        message.Byte(); // replica identity setting
        var columns = new PgRelationColumn[message.Int16()];
        for (var i = 0; i < columns.Length; i++)
        {
            message.Byte(); // flags: part of the key
            var column = message.String();
            var type = message.UInt32();
            columns[i] = new PgRelationColumn(column, type, message.Int32());
        }
        return new RelationDescription(relationId, ns, name, columns);
    }

    async ValueTask<bool> RelationAsync(RelationDescription relation, CancellationToken cancellationToken)
    {
        await relations.OnRelationAsync(relation, catalogConnection, cancellationToken);
        return true;
    }

    async ValueTask<bool> TruncateAsync(List<CapturedTable> tables, ulong lsn, CancellationToken cancellationToken)
    {
        foreach (var table in tables)
        {
            if (!await EmitAsync(Change(ChangeOperation.Truncate, table, lsn, null, null, 'T'), cancellationToken)) return false;
        }
        return true;
    }

    ChangeEvent Change(ChangeOperation operation, CapturedTable table, ulong lsn, RowImage? before, RowImage? after, char kind)
    {
        status.CurrentLsn = lsn;
        return new ChangeEvent(operation, table, before, after,
            new SourceInfo(_transactionId, lsn, _lastCommitLsn, _commitTimeMicros), Transaction(kind, lsn));
    }

    TransactionProgress Transaction(char kind, ulong lsn) =>
        _transaction ?? throw new SourceConnectorException(FailureKind.Transient,
            $"pgoutput sent a '{kind}' message at LSN {new NpgsqlLogSequenceNumber(lsn)} outside a transaction");

    /// <summary>Adds <paramref name="item"/> to the pending batch, sending the batch when it is full.</summary>
    ValueTask<bool> EmitAsync(PipelineItem item, CancellationToken cancellationToken)
    {
        _pending.Add(item);
        return _pending.Count >= PipelineBatch.MaxItems ? FlushAsync(cancellationToken) : ValueTask.FromResult(true);
    }

    /// <summary>Writes the pending batch to the channel (waiting while it is full); false when the channel was closed.</summary>
    ValueTask<bool> FlushAsync(CancellationToken cancellationToken)
    {
        if (_pending.Count == 0) return ValueTask.FromResult(true);
        // An exact-size copy: a trickle of small transactions sends a batch of two or three items per wait, and a
        // fresh list of full capacity each time would allocate 4 KiB apiece.
        var batch = new PipelineBatch([.. _pending]);
        _pending.Clear();
        status.AddQueued(batch.Items.Length);
        return output.TryWrite(batch) ? ValueTask.FromResult(true) : WaitAndWriteAsync(batch, cancellationToken);
    }

    async ValueTask<bool> WaitAndWriteAsync(PipelineBatch batch, CancellationToken cancellationToken)
    {
        try
        {
            await output.WriteAsync(batch, cancellationToken);
            return true;
        }
        catch (ChannelClosedException)
        {
            status.AddQueued(-batch.Items.Length);
            return false;
        }
    }
}
