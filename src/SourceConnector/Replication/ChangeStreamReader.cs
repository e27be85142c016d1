using System.Threading.Channels;
using KafkaCdc.Shared.ChangeEvents;
using KafkaCdc.Shared.Failures;
using KafkaCdc.Shared.Postgres;
using KafkaCdc.SourceConnector.ChangeEvents;
using KafkaCdc.SourceConnector.Checkpointing;
using KafkaCdc.SourceConnector.Configuration;
using KafkaCdc.SourceConnector.Snapshots;
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
/// <para><b>Snapshots and signals</b>: rows inserted into the signal table are parsed here and handed to the
/// <see cref="IncrementalSnapshotter"/>, which is stepped after every commit and, while it has work and the stream is
/// idle, between waits for the server; each captured change passes through it before it is written (see there). Each
/// new table version goes to <see cref="SchemaChangeBackfill"/>, which queues a backfill where the change rewrote rows
/// without logging them.</para>
/// <para>Stopping (<see cref="RequestStop"/>) leaves the replication connection streaming, without reading further,
/// so the last position can still be confirmed on it; cancelling the token then ends <see cref="RunAsync"/>.</para>
/// </remarks>
internal sealed class ChangeStreamReader(
    LogicalReplicationConnection replication, string slotName, string publication, NpgsqlLogSequenceNumber startLsn, RelationCache relations,
    NpgsqlConnection catalogConnection, Checkpointer checkpointer, ChannelWriter<PipelineBatch> output, SourceStatus status, ILogger logger,
    IncrementalSnapshotter? snapshots = null, TableName? signalTable = null, IReadOnlyList<SnapshotStreamFilter>? inSnapshots = null, SchemaChangeBackfill? schemaChanges = null)
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
    NpgsqlLogSequenceNumber? _lastCommitLsn;
    // The index of the current change message in its transaction, every insert, update, delete and truncate counted
    // (captured or not), so that reading the same transaction again gives each change the same source position.
    long _changeIndex;
    NpgsqlLogSequenceNumber _lastCommitEnd;
    uint? _signalRelation;
    // The snapshots whose rows hold the current transaction's changes of their tables (see SnapshotStreamFilter), or null.
    List<SnapshotStreamFilter>? _heldBy;
    // The mark of the change in hand, when a resumed snapshot run's rows hold it.
    SnapshotMark? _mark;
    int _passedSnapshots;
    int[] _signalColumns = [];

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
        Log.StreamingFrom(logger, slotName, publication, startLsn.ToString());
        using var stream = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var messages = replication.StartLogicalReplication(slot, stream.Token, startLsn, options)
            .GetAsyncEnumerator(stream.Token);
        // A read still in flight when the loop ends (stepping snapshots while idle failed or was cancelled) is cancelled
        // and awaited before the enumerator is disposed: Npgsql allows one read at a time, its own disposal included.
        Task<bool>? awaited = null;
        try
        {
            while (!_stopRequested)
            {
                var next = messages.MoveNextAsync();
                // About to wait for the server: hand over what was read so far first.
                if (!next.IsCompleted && !await FlushAsync(cancellationToken))
                {
                    await next;
                    break;
                }
                if (!next.IsCompleted && snapshots is not null)
                {
                    awaited = next.AsTask();
                    var stepped = await StepWhileIdleAsync(awaited, cancellationToken);
                    next = new ValueTask<bool>(awaited);
                    awaited = null;
                    if (!stepped)
                    {
                        await next;
                        break;
                    }
                }
                if (!await next) throw StreamEnded(null);
                if (_stopRequested) break;
                var length = await ReadPayloadAsync(messages.Current.Data, cancellationToken);
                if (!await HandleAsync(length, messages.Current.WalStart, cancellationToken)) break;
                // A huge value grew the buffer: let it go, so one outlier does not keep its memory for the session.
                if (_buffer.Length > LargeBuffer) _buffer = new byte[InitialBuffer];
            }
            // Keep the replication connection in streaming mode until the session has confirmed its last position.
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedObject && e.MessageText.StartsWith("publication ", StringComparison.Ordinal))
        {
            // pgoutput looks the publication up as of each change it decodes, so a slot created before the publication
            // fails at its first change (and one whose publication was dropped, at the next).
            throw new SourceConnectorException(FailureKind.Permanent,
                $"Replication slot {slotName} cannot decode its changes with publication {publication}: {e.MessageText} ({e.Where}). PostgreSQL " +
                "reads the publication as of each change, so the publication must exist from the slot's position on: the slot was created " +
                "before the publication, or the publication was dropped. Create the publication, then drop the slot and create it again " +
                $"(SELECT pg_drop_replication_slot('{slotName}'); SELECT pg_create_logical_replication_slot('{slotName}', 'pgoutput');), as " +
                "schemas/sql/source-setup.sql does in that order; or drop the slot and let the connector create it", e);
        }
        catch (NpgsqlException e) when (IsEndedByServer(e))
        {
            throw StreamEnded(e);
        }
        finally
        {
            // Off the socket engine's thread, where this may run (socket completions run inline:
            // SourceProgram.RunSocketCompletionsInline) before anything here can wait for a cancellation in flight:
            // Npgsql's cancel request reads the server's answer through a socket engine, and disposing the stream's
            // token source (or the enumerator, or the connection after it) waits for that cancellation to complete. On
            // the engine that should deliver the answer, that wait never ended: the source hung after "Stopped".
            await Task.Yield();
            if (awaited is { IsCompleted: false })
            {
                await stream.CancelAsync();
                try
                {
                    await awaited;
                }
                catch (Exception)
                {
                    // The cancelled read; the session's outcome is the exception that ended the loop.
                }
            }
            await messages.DisposeAsync();
        }
    }

    /// <summary>
    /// Whether <paramref name="exception"/> is Npgsql's report of a CommandComplete in the middle of the stream: the WAL
    /// sender ends the stream that way when the server shuts down (fast or smart, once it sent everything; PostgreSQL's
    /// <c>WalSndDone</c>), and Npgsql, expecting only CopyData, reports it as a protocol error ("Received backend message
    /// CommandComplete while expecting CopyDataMessage. Please file a bug.", npgsql/npgsql#5752) without a SQLSTATE.
    /// </summary>
    internal static bool IsEndedByServer(NpgsqlException exception) =>
        exception is not PostgresException && exception.Message.Contains("CommandComplete while expecting CopyData", StringComparison.Ordinal);

    /// <summary>The server ended the stream (it is shutting down, or the WAL sender was ended): reconnect from the stored offset.</summary>
    SourceConnectorException StreamEnded(NpgsqlException? cause) =>
        new(FailureKind.Transient, cause is null ? $"PostgreSQL ended the replication stream of slot {slotName}"
            : $"PostgreSQL ended the replication stream of slot {slotName} (its WAL sender finished the command, as it does when the server shuts down)", cause);

    /// <summary>
    /// While the server has nothing for the reader: steps the snapshotter (reading chunks, closing a window once the
    /// stream passed its position) and waits for signals, until a message arrives. False when the channel was closed.
    /// </summary>
    async Task<bool> StepWhileIdleAsync(Task<bool> received, CancellationToken cancellationToken)
    {
        while (!received.IsCompleted && !_stopRequested)
        {
            if (snapshots!.HasWork)
            {
                // Everything the walsender sent before its last keepalive (or the pending message) has been handled.
                var position = NpgsqlLogSequenceNumber.Larger(NpgsqlLogSequenceNumber.Larger(replication.LastReceivedLsn, _lastCommitEnd), startLsn);
                if (!await EmitAllAsync(await snapshots.StepAsync(position, cancellationToken), cancellationToken) || !await FlushAsync(cancellationToken))
                    return false;
                if (received.IsCompleted) break;
            }
            await Task.WhenAny(received, snapshots.WaitForWorkAsync(cancellationToken));
            cancellationToken.ThrowIfCancellationRequested();
        }
        return true;
    }

    async ValueTask<bool> EmitAllAsync(IReadOnlyList<PipelineItem>? items, CancellationToken cancellationToken)
    {
        if (items is null) return true;
        foreach (var item in items)
        {
            if (!await EmitAsync(item, cancellationToken)) return false;
        }
        return true;
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
    ValueTask<bool> HandleAsync(int length, NpgsqlLogSequenceNumber lsn, CancellationToken cancellationToken)
    {
        var message = new PgOutputCursor(_buffer.AsSpan(0, length));
        switch ((char)message.Byte())
        {
            case 'B':
                var finalLsn = message.Lsn();
                _commitTimeMicros = message.Int64() + PostgresEpochMicros;
                _transactionId = message.UInt32();
                _transaction = checkpointer.Begin(_transactionId, finalLsn);
                _changeIndex = -1;
                _heldBy = inSnapshots is null ? null : HoldingFilters((uint)_transactionId, finalLsn);
                return ValueTask.FromResult(true);
            case 'C':
                message.Byte(); // flags
                var commitLsn = message.Lsn();
                var endLsn = message.Lsn();
                var transaction = Transaction('C', lsn);
                _transaction = null;
                _lastCommitLsn = commitLsn;
                _lastCommitEnd = endLsn;
                if (inSnapshots is not null && _passedSnapshots < inSnapshots.Count) LogPassedSnapshots(commitLsn);
                status.CurrentLsn = endLsn;
                return snapshots is { NeedsStep: true }
                    ? CommitAndStepAsync(new TransactionCommit(transaction, endLsn), endLsn, cancellationToken)
                    : EmitAsync(new TransactionCommit(transaction, endLsn), cancellationToken);
            case 'R':
                return RelationAsync(ReadRelation(ref message), lsn, cancellationToken);
            case 'I':
                _changeIndex++;
                var insertedId = message.UInt32();
                if (relations.Captured(insertedId) is not { } inserted)
                {
                    if (insertedId != _signalRelation) return ValueTask.FromResult(true);
                    message.Byte(); // 'N'
                    return SignalAsync(message.Tuple(), lsn, cancellationToken);
                }
                if (HeldBySnapshot(inserted)) return ValueTask.FromResult(true);
                message.Byte(); // 'N'
                return EmitAsync(Change(ChangeOperation.Create, inserted, lsn, null, message.Tuple(), 'I'), cancellationToken);
            case 'U':
                _changeIndex++;
                if (relations.Captured(message.UInt32()) is not { } updated || HeldBySnapshot(updated)) return ValueTask.FromResult(true);
                RowImage? before = null;
                var part = (char)message.Byte();
                var fullOldRow = part == 'O';
                if (part is 'K' or 'O')
                {
                    before = message.Tuple();
                    part = (char)message.Byte();
                }
                if (part != 'N') throw new FormatException($"pgoutput Update at LSN {lsn} has part '{part}' where N was expected");
                var after = message.Tuple();
                if (fullOldRow) after = RowImage.WithUnchangedToastFrom(after, before!);
                return EmitAsync(Change(ChangeOperation.Update, updated, lsn, before, after, 'U'), cancellationToken);
            case 'D':
                _changeIndex++;
                if (relations.Captured(message.UInt32()) is not { } deleted || HeldBySnapshot(deleted)) return ValueTask.FromResult(true);
                message.Byte(); // 'K' or 'O'
                return EmitAsync(Change(ChangeOperation.Delete, deleted, lsn, message.Tuple(), null, 'D'), cancellationToken);
            case 'T':
                _changeIndex++;
                var count = message.Int32();
                message.Byte(); // options: CASCADE, RESTART IDENTITY
                var truncated = new List<(CapturedTable, SnapshotMark?)>(count);
                for (var i = 0; i < count; i++)
                {
                    if (relations.Captured(message.UInt32()) is { } table && !HeldBySnapshot(table)) truncated.Add((table, _mark));
                }
                return TruncateAsync(truncated, lsn, cancellationToken);
            default:
                // Type ('Y') and Origin ('O') messages carry nothing the records need. Changes of relations that are
                // published but not captured (heartbeat and signal tables, filtered tables) were skipped above: their
                // transactions still move the confirmed position.
                return ValueTask.FromResult(true);
        }
    }

    /// <summary>
    /// Whether the current transaction's change of <paramref name="table"/> is in a snapshot's rows already and is
    /// dropped (a first-start snapshot's); when a resumed snapshot run's rows hold it, it is written with the mark
    /// <see cref="_mark"/> instead. Counted either way.
    /// </summary>
    bool HeldBySnapshot(CapturedTable table)
    {
        _mark = null;
        if (_heldBy is null) return false;
        foreach (var filter in _heldBy)
        {
            if (!filter.Covers(table)) continue;
            _mark = filter.Mark;
            return _mark is null;
        }
        return false;
    }

    /// <summary>The stored snapshots that hold the transaction <paramref name="xid"/> committing at <paramref name="commitLsn"/>, or null.</summary>
    List<SnapshotStreamFilter>? HoldingFilters(uint xid, NpgsqlLogSequenceNumber commitLsn)
    {
        List<SnapshotStreamFilter>? holding = null;
        foreach (var filter in inSnapshots!)
        {
            if (filter.Holds(xid, commitLsn)) (holding ??= []).Add(filter);
        }
        return holding;
    }

    /// <summary>Logs, once for each snapshot taken after the stream's start, what it held once the stream passes it.</summary>
    void LogPassedSnapshots(NpgsqlLogSequenceNumber commitLsn)
    {
        var passed = 0;
        foreach (var filter in inSnapshots!)
        {
            if (commitLsn <= filter.Until) continue;
            passed++;
            if (filter.Reported) continue;
            filter.Reported = true;
            Log.SnapshotInfo(logger, filter.Mark is { } mark
                ? $"The stream passed run {mark.Attempt} of the initial snapshot (LSN {filter.Until}): {filter.Held:N0} change(s) its rows already held " +
                  $"were written marked as such (header {SnapshotMark.HeaderName}), for consumers that replace the earlier runs' rows"
                : $"The stream passed the snapshot taken after its start (LSN {filter.Until}): {filter.Held:N0} change(s) the snapshot's rows already held " +
                  "were not written again");
        }
        _passedSnapshots = passed;
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

    async ValueTask<bool> RelationAsync(RelationDescription relation, NpgsqlLogSequenceNumber lsn, CancellationToken cancellationToken)
    {
        if (await relations.OnRelationAsync(relation, _transactionId, catalogConnection, cancellationToken) is { } version && schemaChanges is not null)
            await schemaChanges.OnVersionAsync(relation.RelationId, version, lsn, cancellationToken);
        if (snapshots is not null && signalTable is not null && relation.Namespace == signalTable.Schema && relation.Name == signalTable.Name)
        {
            _signalRelation = relation.RelationId;
            _signalColumns = [.. new[] { "id", "type", "data" }.Select(c => Array.FindIndex(relation.Columns, r => r.Name == c))];
        }
        return true;
    }

    async ValueTask<bool> CommitAndStepAsync(TransactionCommit commit, NpgsqlLogSequenceNumber endLsn, CancellationToken cancellationToken) =>
        await EmitAsync(commit, cancellationToken) && await EmitAllAsync(await snapshots!.StepAsync(endLsn, cancellationToken), cancellationToken);

    /// <summary>A row inserted into the signal table: the snapshotter's own watermark, or a signal for it; a bad one is rejected, never fatal.</summary>
    async ValueTask<bool> SignalAsync(RowImage row, NpgsqlLogSequenceNumber lsn, CancellationToken cancellationToken)
    {
        string? Value(int column) => _signalColumns[column] is var i and >= 0 && i < row.Values.Length ? row.Values[i] : null;
        Signal signal;
        try
        {
            if (_signalColumns[0] < 0 || _signalColumns[1] < 0)
                throw new SignalException(Value(0), $"the signal table {signalTable} lacks the columns id and type (it needs id, type, data)");
            signal = Signal.Parse(Value(0), Value(1), Value(2), "signal table");
        }
        catch (SignalException e)
        {
            snapshots!.Reject(e);
            return true;
        }
        if (signal.Type == SignalType.Watermark) return await EmitAllAsync(snapshots!.OnWatermark(signal.Id, lsn), cancellationToken);
        snapshots!.OnSignalRow(signal);
        return true;
    }

    async ValueTask<bool> TruncateAsync(List<(CapturedTable Table, SnapshotMark? Mark)> tables, NpgsqlLogSequenceNumber lsn, CancellationToken cancellationToken)
    {
        foreach (var (table, mark) in tables)
        {
            _mark = mark;
            if (!await EmitAsync(Change(ChangeOperation.Truncate, table, lsn, null, null, 'T'), cancellationToken)) return false;
        }
        return true;
    }

    ChangeEvent Change(ChangeOperation operation, CapturedTable table, NpgsqlLogSequenceNumber lsn, RowImage? before, RowImage? after, char kind)
    {
        status.CurrentLsn = lsn;
        var change = new ChangeEvent(operation, table, before, after,
            new SourceInfo(_transactionId, lsn, _lastCommitLsn, _commitTimeMicros) { ChangeIndex = _changeIndex, Mark = _mark }, Transaction(kind, lsn));
        return snapshots is null ? change : snapshots.OnChange(change);
    }

    TransactionProgress Transaction(char kind, NpgsqlLogSequenceNumber lsn) =>
        _transaction ?? throw new SourceConnectorException(FailureKind.Transient,
            $"pgoutput sent a '{kind}' message at LSN {lsn} outside a transaction");

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
