using System.Threading.Channels;
using KafkaCdc.Shared.Configuration;
using KafkaCdc.Shared.Failures;
using KafkaCdc.Shared.Postgres;
using KafkaCdc.SourceConnector.ChangeEvents;
using KafkaCdc.SourceConnector.Checkpointing;
using KafkaCdc.SourceConnector.Configuration;
using KafkaCdc.SourceConnector.Heartbeats;
using KafkaCdc.SourceConnector.Publishing;
using KafkaCdc.SourceConnector.Replication;
using KafkaCdc.SourceConnector.Snapshots;
using KafkaCdc.SourceConnector.Status;
using Microsoft.Extensions.Logging;
using Npgsql;
using Npgsql.Replication;
using NpgsqlTypes;

namespace KafkaCdc.SourceConnector;

/// <summary>
/// One replication session: prepares the publication and slot, decides the start position, then runs the stages —
/// reader (<see cref="ChangeStreamReader"/>) → bounded channel → publisher (<see cref="ChangePublisher"/>, own
/// thread) → Kafka — with the checkpoint and heartbeat loops beside them, until stopped or failed.
/// </summary>
/// <remarks>
/// Stopping (the stop token) is graceful: stop reading, drain the channel, flush the producer, checkpoint the last
/// acknowledged LSN (offsets topic, then PostgreSQL), then close. A failure of any stage ends the session with that
/// exception; the runner decides whether to reconnect (<see cref="FailureClassifier"/>).
/// </remarks>
internal sealed class StreamingSession(SourceProcess process, ILogger logger)
{
    /// <summary>
    /// Batches between reader and publisher: at most 4 × <see cref="PipelineBatch.MaxItems"/> items, about 50 ms of the
    /// publisher's work. The reader outpaces the publisher, so the queue is full whenever changes pile up, and every
    /// item in it survives the collections meanwhile: with 32 batches (16k changes) they were promoted to the old
    /// generation and died there (a gen-2 collection about every second, 0.2 s of GC pauses per second in a 500k-insert
    /// run); with 4, peak RSS fell from 184–229 to 153–158 MB in SourceBench's large workload (throughput unchanged
    /// within the noise of a loaded machine).
    /// </summary>
    const int ChannelCapacity = 4;
    static readonly TimeSpan s_slotReleaseWait = TimeSpan.FromSeconds(15);
    static readonly TimeSpan s_drainTimeout = TimeSpan.FromSeconds(30);

    readonly SourceOptions _options = process.Options;

    /// <summary>Runs the session; returns after a graceful stop (or, with <c>snapshot.mode=initial_only</c>, the snapshot), throws on failure.</summary>
    /// <param name="stop">Requests the graceful stop.</param>
    /// <param name="onStreaming">Called once the stages run.</param>
    public async Task RunAsync(CancellationToken stop, Action onStreaming)
    {
        await using var catalogConnection = new NpgsqlConnection(_options.ConnectionString("catalog"));
        await catalogConnection.OpenAsync(stop);
        var server = await ServerInfo.ReadAsync(catalogConnection, stop);
        ServerRequirements.ThrowIfUnmet(server, _options);
        var publication = await PublicationSetup.EnsureAsync(catalogConnection, _options, server, process.CaptureRules, logger, stop);
        var captured = await AssignTopicsAsync(catalogConnection, publication, stop);
        var slot = await AwaitSlotReleasedAsync(catalogConnection, stop);

        var replication = new LogicalReplicationConnection(_options.ConnectionString("replication"));
        await using var closeReplication = new BoundedClose(() => replication.DisposeAsync(), "closing the replication connection", logger);
        await replication.Open(stop);
        process.SystemId = ulong.Parse((await replication.IdentifySystem(stop)).SystemId, System.Globalization.CultureInfo.InvariantCulture);
        var (startLsn, snapshot) = await StartPositionAsync(replication, slot, captured, stop);
        var snapshotCatalog = new SnapshotCatalog(_options.Database, _options.PublicationName, server.VersionNum, process.Topics, new PgTypeCatalog(),
            _options.AvroOptions, process.Status);
        if (snapshot is not null)
        {
            process.Status.Set(ConnectorState.Snapshotting);
            await new InitialSnapshot(process, snapshotCatalog, server.VersionNum, logger).RunAsync(snapshot, stop);
        }
        if (_options.Snapshot.Mode == SnapshotMode.InitialOnly)
        {
            Log.SnapshotInfo(logger, $"snapshot.mode=initial_only: the snapshot is complete, so the connector stops without streaming. Replication slot " +
                $"'{_options.SlotName}' keeps the WAL from LSN {startLsn} on, so that a start with snapshot.mode=no_data " +
                $"streams every change made since the snapshot; if no such start follows, drop the slot (SELECT pg_drop_replication_slot('{_options.SlotName}');)");
            return;
        }

        using var abort = new CancellationTokenSource();
        using var loops = CancellationTokenSource.CreateLinkedTokenSource(abort.Token);
        var fault = new TaskCompletionSource<Exception>(TaskCreationOptions.RunContinuationsAsynchronously);
        var checkpointer = new Checkpointer(startLsn, process.Offsets, new ReplicationFeedback(replication, process.Status), e => fault.TrySetResult(e));
        var channel = Channel.CreateBounded<PipelineBatch>(new BoundedChannelOptions(ChannelCapacity)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        var relations = new RelationCache(_options.Database, process.CaptureRules, process.Topics, new PgTypeCatalog(), _options.AvroOptions, process.Status, logger);
        // Watermark rows need a writable primary and the signal table in the publication; otherwise windows close by WAL position.
        var watermarks = !_options.ReadOnly && !server.IsInRecovery && publication.Tables.Contains(_options.SignalTable);
        await using var snapshotter = new IncrementalSnapshotter(process, snapshotCatalog, checkpointer, watermarks, server.IsInRecovery,
            process.Offsets.Snapshot?.Incremental, logger);
        var reader = new ChangeStreamReader(replication, _options.SlotName, _options.PublicationName, startLsn, relations, catalogConnection,
            checkpointer, channel.Writer, process.Status, logger, snapshotter, _options.SignalTable, SnapshotStreamFilter.From(process.Offsets.Snapshot),
            new SchemaChangeBackfill(_options.Snapshot.OnSchemaChange, _options.Snapshot, process.RelationHistory, snapshotter, logger, await RelationIdsAsync(catalogConnection, captured, stop)));
        using var signalsAttached = process.Signals.Attach(snapshotter.Enqueue);
        var publisher = new ChangePublisher(channel.Reader, process.RecordProducer(e => fault.TrySetResult(e), logger), process.Status);
        await using var databaseHeartbeat = _options.HeartbeatAction == HeartbeatAction.None ? null
            : new DatabaseHeartbeat(_options.ConnectionString("heartbeat"), _options.HeartbeatAction, _options.HeartbeatTable, _options.Name, logger);
        var heartbeats = new HeartbeatEmitter(_options.HeartbeatInterval, _options.HeartbeatTopic, _options.Name, process.Serializer, process.Producer,
            replication, checkpointer, databaseHeartbeat, process.Status, logger);

        publisher.Start(abort.Token);
        var readerTask = reader.RunAsync(abort.Token);
        var checkpointTask = CheckpointLoopAsync(checkpointer, replication, loops.Token);
        var heartbeatTask = heartbeats.RunAsync(loops.Token);
        var stopped = Task.Delay(Timeout.Infinite, stop);
        onStreaming();

        var first = await Task.WhenAny(readerTask, publisher.Completion, checkpointTask, heartbeatTask, fault.Task, process.Fatal, stopped);
        if (first != stopped)
        {
            var failure = first switch
            {
                _ when first == fault.Task => fault.Task.Result,
                _ when first == process.Fatal => process.Fatal.Result,
                { Exception: { } e } => e.InnerExceptions.Count == 1 ? e.InnerException! : e,
                _ => new SourceConnectorException(FailureKind.Transient, "a pipeline stage ended without an error"),
            };
            await abort.CancelAsync();
            channel.Writer.TryComplete();
            await Quietly(readerTask, publisher.Completion, checkpointTask, heartbeatTask);
            throw failure;
        }

        // Graceful stop: nothing more is read, what was read is delivered, the last acknowledged LSN is confirmed.
        process.Status.Set(ConnectorState.Stopping);
        reader.RequestStop();
        channel.Writer.TryComplete();
        await loops.CancelAsync();
        await Quietly(checkpointTask, heartbeatTask);
        using var drain = new CancellationTokenSource(s_drainTimeout);
        if (await Task.WhenAny(publisher.Completion, Task.Delay(Timeout.Infinite, drain.Token)) != publisher.Completion)
        {
            Log.DrainTimedOut(logger, s_drainTimeout.TotalSeconds);
            await abort.CancelAsync();
        }
        await Quietly(publisher.Completion);
        await Task.Run(() => process.Producer.Flush(s_drainTimeout), CancellationToken.None);
        using var final = new CancellationTokenSource(s_drainTimeout);
        try
        {
            await checkpointer.CheckpointAsync(final.Token);
        }
        catch (OperationCanceledException)
        {
            Log.FinalCheckpointTimedOut(logger, s_drainTimeout.TotalSeconds);
        }
        Log.Stopped(logger, checkpointer.ConfirmedLsn.ToString(), checkpointer.StoredLsn.ToString(),
            checkpointer.OpenTransactions);
        await new BoundedClose(async () =>
        {
            await abort.CancelAsync();
            await Quietly(readerTask);
        }, "ending the replication stream's read", logger).DisposeAsync();
    }

    /// <summary>
    /// Ends the replication connection's use once its position is confirmed, waiting at most 3 s: Npgsql
    /// ends a read in progress with a cancel request, whose answer it reads synchronously through a socket engine, and
    /// the read's own continuation, run inline on a socket engine (SourceProgram.RunSocketCompletionsInline), waits for
    /// that cancellation to finish; when both land on the same engine, nothing moves until the cancel connection times
    /// out (the connection timeout, 30 s): the source exited 30 s after "Stopped". Nothing is left to confirm by then, so
    /// what has not finished is left to end with the process (or on its own, shortly after a session that failed).
    /// </summary>
    sealed class BoundedClose(Func<ValueTask> close, string what, ILogger logger) : IAsyncDisposable
    {
        static readonly TimeSpan s_wait = TimeSpan.FromSeconds(3);

        public async ValueTask DisposeAsync()
        {
            var closing = Task.Run(async () => await close());
            if (await Task.WhenAny(closing, Task.Delay(s_wait, CancellationToken.None)) != closing)
            {
                Log.ReplicationCloseAbandoned(logger, s_wait.TotalSeconds, what);
                _ = closing.ContinueWith(t => _ = t.Exception, TaskScheduler.Default);
                return;
            }
            await Quietly(closing);
        }
    }

    /// <summary>The OIDs of <paramref name="tables"/>, so that a relation renamed while streaming is known by its OID.</summary>
    static async Task<Dictionary<uint, TableName>> RelationIdsAsync(NpgsqlConnection connection, IReadOnlyList<TableName> tables, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT t, pg_catalog.to_regclass(t)::oid FROM unnest($1::text[]) AS t WHERE pg_catalog.to_regclass(t) IS NOT NULL", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = tables.Select(t => t.Quoted).ToArray() });
        var byQuoted = tables.ToDictionary(t => t.Quoted);
        var ids = new Dictionary<uint, TableName>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) ids[reader.GetFieldValue<uint>(1)] = byQuoted[reader.GetString(0)];
        return ids;
    }

    /// <summary>
    /// Assigns the topics of the captured published tables now, so that two tables mapping to one topic stop the start;
    /// returns those tables.
    /// </summary>
    async Task<IReadOnlyList<TableName>> AssignTopicsAsync(NpgsqlConnection connection, PublicationInfo publication, CancellationToken cancellationToken)
    {
        var captured = publication.Tables.Where(process.CaptureRules.IsCaptured).ToList();
        foreach (var table in captured) process.Topics.Assign(table);
        if (!publication.ViaRoot)
        {
            var partitioned = (await SourceTables.ListAsync(connection, cancellationToken))
                .Where(t => t.IsPartitioned && process.CaptureRules.IsCaptured(t.Name)).Select(t => t.Name.Quoted).ToList();
            if (partitioned.Count > 0) Log.PartitionsNotViaRoot(logger, _options.PublicationName, string.Join(", ", partitioned));
        }
        Log.Capturing(logger, _options.PublicationName, captured.Count, string.Join(", ", captured.Take(20)), process.CaptureRules.Filter.ToString());
        return captured;
    }

    /// <summary>The slot, after waiting for a walsender still holding it (a previous process of this connector) to let go.</summary>
    async Task<SlotInfo?> AwaitSlotReleasedAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + s_slotReleaseWait;
        while (true)
        {
            var slot = await SlotInfo.ReadAsync(connection, _options.SlotName, cancellationToken);
            if (slot is not { IsActive: true }) return slot;
            if (DateTime.UtcNow > deadline)
                throw new SourceConnectorException(FailureKind.Permanent,
                    $"Replication slot '{_options.SlotName}' is in use by another connection (walsender PID {slot.ActivePid}) and was not released within " +
                    $"{s_slotReleaseWait.TotalSeconds:0}s: another connector (or process) streams from it. A slot serves one consumer: give each connector its own slot.name");
            Log.SlotBusy(logger, _options.SlotName, slot.ActivePid ?? 0);
            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
        }
    }

    /// <summary>
    /// Decides where streaming starts (creating or adopting the slot and storing the position when there was none) and
    /// whether a snapshot comes first (<c>snapshot.mode</c>): on a first start, after a gap with <c>when_needed</c>,
    /// or to finish an interrupted one.
    /// </summary>
    async Task<(NpgsqlLogSequenceNumber Lsn, InitialSnapshotRequest? Snapshot)> StartPositionAsync(
        LogicalReplicationConnection replication, SlotInfo? slot, IReadOnlyList<TableName> captured, CancellationToken cancellationToken)
    {
        var mode = _options.Snapshot.Mode;
        var snapshots = mode != SnapshotMode.NoData;
        var incremental = _options.Snapshot.InitialMethod == SnapshotInitialMethod.Incremental;
        var offsets = process.Offsets;
        var previouslyCaptured = offsets.Tables;
        offsets.Tables = [.. captured.Select(t => t.Quoted)];
        var decision = StartPosition.Decide(offsets.Last, slot, _options.Name, _options.SlotName, _options.Database, _options.OffsetStorageTopic);
        string? reason = null;
        if (decision.Action == StartAction.Refuse)
        {
            if (!decision.IsGap || mode != SnapshotMode.WhenNeeded)
                throw new SourceConnectorException(FailureKind.Permanent, decision.Reason!);
            reason = "snapshot.mode=when_needed, and the stored offset cannot be honoured by the slot";
            Log.SnapshotDecision(logger, $"{decision.Reason!.Split(" What to do:", 2)[0]} snapshot.mode=when_needed: taking the slot's current " +
                "position and snapshotting every captured table before streaming. Rows deleted while changes were not captured are not in the " +
                "snapshot and stay at the destination.");
            offsets.Snapshot = null;
            decision = slot is null ? new StartDecision(StartAction.CreateSlot) : new StartDecision(StartAction.AdoptSlot, slot.ConfirmedFlushLsn ?? NpgsqlLogSequenceNumber.Invalid);
        }

        switch (decision.Action)
        {
            case StartAction.CreateSlot or StartAction.AdoptSlot:
            {
                NpgsqlLogSequenceNumber lsn;
                string? exported = null;
                if (decision.Action == StartAction.CreateSlot)
                {
                    var created = await replication.CreatePgOutputReplicationSlot(_options.SlotName, temporarySlot: false,
                        slotSnapshotInitMode: snapshots && !incremental ? LogicalSlotSnapshotInitMode.Export : LogicalSlotSnapshotInitMode.NoExport,
                        cancellationToken: cancellationToken);
                    (lsn, exported) = (created.ConsistentPoint, created.SnapshotName);
                    Log.SlotCreated(logger, _options.SlotName, created.ConsistentPoint.ToString());
                }
                else
                {
                    lsn = decision.Lsn!.Value;
                    Log.SlotAdopted(logger, _options.SlotName, lsn.ToString());
                }
                InitialSnapshotRequest? request = null;
                if (snapshots)
                {
                    // On a first start the destination holds nothing yet, so a snapshot taken after the slot's position
                    // may skip the stream's changes it holds (not after when_needed: the destination keeps rows of before).
                    var firstStart = reason is null;
                    reason ??= $"first start (no stored offset){(decision.Action == StartAction.AdoptSlot ? " on the existing slot" : "")}, " +
                               $"snapshot.mode={ConfigReader.SnakeCase(mode.ToString())}";
                    request = StartInitial(exported, captured, lsn, reason, filterStream: firstStart && exported is null);
                }
                await offsets.WriteAsync(lsn, cancellationToken);
                return (lsn, request);
            }
            default:
            {
                var lsn = decision.Lsn!.Value;
                if (offsets.Snapshot?.Initial is not { } pending)
                {
                    BackfillNewTables(previouslyCaptured, captured);
                    return (lsn, null);
                }
                var left = captured.Where(t => !pending.Done.Contains(t.ToString(), StringComparer.Ordinal)).ToList();
                if (mode == SnapshotMode.NoData)
                {
                    Log.SnapshotDecision(logger, $"An interrupted snapshot ({pending.Reason}) did not finish {left.Count} table(s) " +
                        $"({string.Join(", ", left.Take(20))}), and snapshot.mode=no_data does not finish it: their rows that did not change since are " +
                        "missing at the destination until a snapshot of them is taken (execute-snapshot signal)");
                    offsets.Snapshot = offsets.Snapshot with { Initial = null };
                    return (lsn, null);
                }
                // The new run is stored before it writes a row: a run interrupted after writing rows is always followed by a
                // higher one, whose rows a consumer then puts in place of the interrupted runs' (header kafkacdc.snapshot).
                var attempt = pending.Attempt + 1;
                offsets.Snapshot = offsets.Snapshot with { Initial = pending with { Attempt = attempt } };
                await offsets.WriteAsync(lsn, cancellationToken);
                return (lsn, new InitialSnapshotRequest(null, left, pending.Done, lsn, $"resuming an interrupted snapshot ({pending.Reason}), run {attempt}", Attempt: attempt));
            }
        }
    }

    /// <summary>
    /// The initial snapshot's start: an exported-snapshot request, or (<c>snapshot.initial.method=incremental</c>) an
    /// incremental snapshot of every captured table stored with the first offset, which streaming then carries out.
    /// </summary>
    InitialSnapshotRequest? StartInitial(string? exported, IReadOnlyList<TableName> captured, NpgsqlLogSequenceNumber lsn, string reason, bool filterStream)
    {
        if (_options.Snapshot.InitialMethod == SnapshotInitialMethod.Incremental)
        {
            Log.SnapshotDecision(logger, $"Snapshot ({reason}) of {captured.Count} table(s) taken incrementally while streaming " +
                "(snapshot.initial.method=incremental): the slot's confirmed position keeps advancing during it");
            process.Offsets.Snapshot = new SnapshotOffset(null, new IncrementalSnapshotOffset("initial", [.. captured.Select(t => t.Quoted)]));
            return null;
        }
        process.Offsets.Snapshot = new SnapshotOffset(new InitialSnapshotOffset([], reason));
        return new InitialSnapshotRequest(exported, captured, [], lsn, reason, filterStream);
    }

    /// <summary>
    /// Tables captured now and not when the last offset was written (added to <c>table.include.list</c> or the
    /// publication): with <c>snapshot.new.tables=incremental</c> they join the incremental snapshot (stored with the
    /// offset before streaming starts, so a crash cannot lose the request).
    /// </summary>
    void BackfillNewTables(IReadOnlyList<string>? previous, IReadOnlyList<TableName> captured)
    {
        if (previous is null) return;
        var added = captured.Where(t => !previous.Contains(t.Quoted, StringComparer.Ordinal)).ToList();
        if (added.Count == 0) return;
        var names = string.Join(", ", added.Take(20));
        if (_options.Snapshot.NewTables == SnapshotNewTables.Off)
        {
            Log.SnapshotDecision(logger, $"Newly captured table(s) {names}: snapshot.new.tables=off, so only their changes from now on are captured; " +
                "their existing rows reach the destination only through an execute-snapshot signal");
            return;
        }
        Log.SnapshotDecision(logger, $"Newly captured table(s) {names}: backfilled by an incremental snapshot while streaming (snapshot.new.tables=incremental)");
        var offsets = process.Offsets;
        var running = offsets.Snapshot?.Incremental;
        var quoted = added.Select(t => t.Quoted).ToList();
        var incremental = running is null
            ? new IncrementalSnapshotOffset($"new-tables-{DateTime.UtcNow:yyyyMMddTHHmmssZ}", quoted)
            : running with { Tables = [.. running.Tables, .. quoted.Where(q => !running.Tables.Contains(q))] };
        offsets.Snapshot = (offsets.Snapshot ?? new SnapshotOffset()) with { Incremental = incremental };
    }

    async Task CheckpointLoopAsync(Checkpointer checkpointer, LogicalReplicationConnection replication, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.OffsetFlushInterval);
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            process.Status.ServerWalEnd = replication.LastReceivedLsn;
            if (await checkpointer.CheckpointAsync(cancellationToken) is { } lsn)
                Log.Confirmed(logger, lsn.ToString());
        }
    }

    static async Task Quietly(params Task[] tasks)
    {
        try
        {
            await Task.WhenAll(tasks);
        }
        catch (Exception)
        {
            // The session's outcome is decided by the first failure; later ones are its consequences.
        }
    }
}
