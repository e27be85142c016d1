using System.Collections.Concurrent;
using KafkaCdc.Shared.ChangeEvents;
using KafkaCdc.Shared.Failures;
using KafkaCdc.SourceConnector.ChangeEvents;
using KafkaCdc.SourceConnector.Checkpointing;
using KafkaCdc.SourceConnector.Configuration;
using KafkaCdc.SourceConnector.Publishing;
using KafkaCdc.SourceConnector.Status;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace KafkaCdc.SourceConnector.Snapshots;

/// <summary>What an initial snapshot is asked to read.</summary>
/// <param name="ExportedSnapshot">
/// The snapshot exported when the slot was created (its consistent point is <paramref name="Lsn"/>), or null: then a
/// fresh one is exported from a transaction of the snapshot's own, after <paramref name="Lsn"/>, where streaming
/// starts; the stream then also carries the changes the snapshot already holds (see <paramref name="FilterStream"/>).
/// </param>
/// <param name="Tables">The captured tables still to read.</param>
/// <param name="Done">Tables an interrupted run of the same snapshot already finished.</param>
/// <param name="Lsn">Where streaming starts once the snapshot is complete (stored with the progress).</param>
/// <param name="Reason">Why the snapshot is taken, for the log and the stored progress.</param>
/// <param name="FilterStream">
/// For a fresh snapshot on a first start (the destination holds nothing yet): store a <see cref="StreamFilterOffset"/>,
/// so that streaming skips the changes the snapshot holds instead of writing them again (a second row of a table
/// without a key). Not on a resumed snapshot, whose tables may hold rows of the interrupted one that only the replayed
/// changes remove, nor with <c>snapshot.mode=when_needed</c>, whose destination holds the rows of before.
/// </param>
/// <param name="Attempt">
/// The run of this initial snapshot: 1, or n for the n-th after interruptions (already stored with the offset). Every
/// row carries it (header <c>kafkacdc.snapshot</c>), so that a consumer can replace an interrupted run's rows; a run
/// after the first also marks the stream's changes its fresh snapshot holds (see <see cref="StreamFilterOffset"/>).
/// </param>
internal sealed record InitialSnapshotRequest(
    string? ExportedSnapshot, IReadOnlyList<TableName> Tables, IReadOnlyList<string> Done, NpgsqlLogSequenceNumber Lsn, string Reason, bool FilterStream = false,
    int Attempt = 1);

/// <summary>
/// Reads every captured table inside one snapshot and writes each row to Kafka as a read event (<c>op</c> <c>r</c>,
/// <c>source.snapshot</c> <c>true</c>, the very last one <c>last</c>) through the same encoder, registry and producer
/// as streamed changes, before the session streams from the request's LSN.
/// </summary>
/// <remarks>
/// <para><b>Chunks</b>: each relation is read in CTID ranges of about <c>snapshot.fetch.size</c> rows (PostgreSQL 14
/// and later scan a TID range directly; before, a relation is one chunk), so a table without a key snapshots too and
/// no table is ever held in memory: rows are produced as they are read. <c>snapshot.max.threads</c> workers each import
/// the snapshot into a transaction of their own and take chunks from one queue.</para>
/// <para><b>Progress</b>: a table is done once Kafka acknowledged every record of every chunk of it; the done tables
/// are stored with the offset (<see cref="InitialSnapshotOffset"/>), so after a crash the next start reads only the
/// others (in a new snapshot; streaming from the request's LSN replays whatever changed in between). A worker whose
/// connection breaks re-imports the snapshot and reads its chunk again (the snapshot stays valid while the coordinator's
/// transaction is open), skipping the rows it already wrote (the same snapshot, scanned in the same order). Each table's
/// rows, rate and time left go to the log every 10 s, <c>/status</c> and <c>/metrics</c>.</para>
/// </remarks>
internal sealed class InitialSnapshot
{
    const int ChunkAttempts = 3;
    static readonly TimeSpan s_progressLogInterval = TimeSpan.FromSeconds(10);
    readonly SourceProcess _process;
    readonly SnapshotCatalog _catalog;
    readonly int _serverVersionNum;
    readonly ILogger _logger;
    readonly SourceOptions _options;

    /// <summary>Creates the snapshot runner of a session.</summary>
    public InitialSnapshot(SourceProcess process, SnapshotCatalog catalog, int serverVersionNum, ILogger logger)
    {
        _process = process;
        _catalog = catalog;
        _serverVersionNum = serverVersionNum;
        _logger = logger;
        _options = process.Options;
    }

    /// <summary>Runs the snapshot to the end: every row acknowledged by Kafka and the completion stored with the offset.</summary>
    /// <exception cref="SourceConnectorException">A table cannot be read (permanent: privileges) or records were not delivered.</exception>
    public async Task RunAsync(InitialSnapshotRequest request, CancellationToken cancellationToken)
    {
        var status = _process.Status.Snapshots;
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var fault = new TaskCompletionSource<Exception>(TaskCreationOptions.RunContinuationsAsynchronously);
        void Fail(Exception e)
        {
            fault.TrySetResult(e);
            abort.Cancel();
        }

        await using var coordinator = new NpgsqlConnection(_options.ConnectionString("snapshot"));
        await coordinator.OpenAsync(cancellationToken);
        var snapshotName = await BeginAsync(coordinator, request.ExportedSnapshot, cancellationToken);
        var filter = request.ExportedSnapshot is null && (request.FilterStream || request.Attempt > 1)
            ? await StreamFilterAsync(coordinator, request, cancellationToken)
            : null;
        var tables = await _catalog.DescribeAsync(coordinator, request.Tables, cancellationToken);
        var done = new HashSet<string>(request.Done, StringComparer.Ordinal);
        status.Begin("initial", request.Reason);

        var registrar = _process.RecordProducer(Fail, _logger);
        var plans = new List<TablePlan>();
        foreach (var table in tables)
        {
            var progress = status.For(table.Table.Name.ToString(), table.EstimatedRows);
            var plan = new TablePlan(table, progress);
            plan.Chunks.AddRange(Chunks(table, plan, request.Lsn));
            plans.Add(plan);
        }
        foreach (var plan in plans) await registrar.ReadyAsync(plan.Table.Table, cancellationToken);

        var queue = new ConcurrentQueue<Chunk>(plans.SelectMany(p => p.Chunks));
        var held = new ConcurrentBag<(ChangeEvent Event, Chunk Chunk)>();
        var startedMicros = (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) / 10;
        var threads = snapshotName is null ? 1 : Math.Max(1, Math.Min(_options.Snapshot.MaxThreads, queue.Count));
        Log.SnapshotStarting(_logger, tables.Count, string.Join(", ", tables.Take(20).Select(t => t.Table.Name.ToString())), request.Reason,
            request.Lsn.ToString(), threads);
        var workers = new List<Task>();
        for (var i = 0; i < threads; i++)
        {
            var worker = new Worker(this, snapshotName is null ? coordinator : null, snapshotName, queue, held, startedMicros, request.Lsn,
                (uint)request.Attempt, Fail, abort.Token);
            workers.Add(Task.Factory.StartNew(worker.Run, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default));
        }

        var all = Task.WhenAll(workers);
        var lastLog = DateTime.UtcNow;
        while (!all.IsCompleted)
        {
            await Task.WhenAny(all, fault.Task, Task.Delay(_options.OffsetFlushInterval, CancellationToken.None));
            if (fault.Task.IsCompleted) break;
            await StoreProgressAsync(plans, done, request, filter, cancellationToken);
            if (DateTime.UtcNow - lastLog >= s_progressLogInterval)
            {
                lastLog = DateTime.UtcNow;
                foreach (var plan in plans.Where(p => !p.Progress.Done && p.Progress.Rows > 0)) LogProgress(plan.Progress);
            }
        }
        try
        {
            await all;
        }
        catch when (fault.Task.IsCompleted)
        {
            // The first failure is the one to report.
        }
        if (fault.Task.IsCompleted) throw fault.Task.Result;
        cancellationToken.ThrowIfCancellationRequested();

        // The records each worker held back go last, the very last one marked "last".
        var remaining = held.ToList();
        for (var i = 0; i < remaining.Count; i++)
        {
            var (change, chunk) = remaining[i];
            registrar.Publish(i == remaining.Count - 1 ? change.WithSnapshot("last") : change, cancellationToken);
            chunk.Plan.Progress.Add(1);
            chunk.Progress.MarkCommitted(request.Lsn);
        }

        await Task.Run(() => _process.Producer.Flush(cancellationToken), CancellationToken.None);
        while (plans.Any(p => !p.IsDelivered))
        {
            if (fault.Task.IsCompleted) throw fault.Task.Result;
            await Task.WhenAny(fault.Task, Task.Delay(50, cancellationToken));
            await Task.Run(() => _process.Producer.Flush(TimeSpan.FromSeconds(1)), CancellationToken.None);
        }
        foreach (var plan in plans) plan.Progress.Finish();
        var stored = _process.Offsets.Snapshot;
        _process.Offsets.Snapshot = new SnapshotOffset(null, stored?.Incremental).WithFilters(FiltersWith(filter, stored, plans));
        await _process.Offsets.WriteAsync(request.Lsn, cancellationToken);
        await using (var commit = new NpgsqlCommand("COMMIT", coordinator)) await commit.ExecuteNonQueryAsync(cancellationToken);
        status.Set("done");
        Log.SnapshotCompleted(_logger, plans.Count, plans.Sum(p => p.Progress.Rows), request.Lsn.ToString());
    }

    /// <summary>Begins the coordinator's transaction in the exported snapshot, or exports a new one; returns its name (null: none can be exported).</summary>
    async Task<string?> BeginAsync(NpgsqlConnection coordinator, string? exported, CancellationToken cancellationToken)
    {
        await ExecuteAsync(coordinator, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", cancellationToken);
        if (exported is not null)
        {
            await ExecuteAsync(coordinator, $"SET TRANSACTION SNAPSHOT '{exported}'", cancellationToken);
            return exported;
        }
        try
        {
            await using var command = new NpgsqlCommand("SELECT pg_export_snapshot()", coordinator);
            return (string)(await command.ExecuteScalarAsync(cancellationToken))!;
        }
        catch (PostgresException e)
        {
            // A standby cannot export snapshots: one worker then reads everything in the coordinator's own transaction.
            Log.SnapshotNotExported(_logger, e.MessageText);
            await ExecuteAsync(coordinator, "ROLLBACK", cancellationToken);
            await ExecuteAsync(coordinator, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", cancellationToken);
            return null;
        }
    }

    static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// The coordinator's snapshot and a WAL position after it, for <see cref="InitialSnapshotRequest.FilterStream"/> (the
    /// held changes dropped) or a resumed run (marked with the run).
    /// </summary>
    static async Task<StreamFilterOffset> StreamFilterAsync(NpgsqlConnection coordinator, InitialSnapshotRequest request, CancellationToken cancellationToken)
    {
        // In a REPEATABLE READ transaction pg_current_snapshot() is the transaction's snapshot, the one the readers import.
        // The WAL *insert* position: every commit the snapshot sees was inserted before it. pg_current_wal_lsn() is the
        // write position, behind commits not yet written (synchronous_commit=off): their changes were not skipped.
        await using var command = new NpgsqlCommand(
            "SELECT pg_current_snapshot()::text, (CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() ELSE pg_current_wal_insert_lsn() END)::text", coordinator);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new StreamFilterOffset(reader.GetString(0), reader.GetString(1), [])
        {
            Attempt = request.Attempt,
            Mark = request.Attempt > 1,
            SnapshotLsn = request.Attempt > 1 ? request.Lsn.ToString() : null,
        };
    }

    /// <summary>
    /// The stream filters to store: those of earlier runs (each covering the tables its run finished), and this run's,
    /// covering the tables it finished so far (not the earlier runs': their rows are of another snapshot).
    /// </summary>
    static IReadOnlyList<StreamFilterOffset> FiltersWith(StreamFilterOffset? filter, SnapshotOffset? stored, List<TablePlan> plans)
    {
        var kept = stored?.StreamFilters ?? [];
        if (filter is null) return kept;
        var finished = plans.Where(p => p.Progress.Done).Select(p => p.Table.Table.Name.ToString()).Order(StringComparer.Ordinal);
        return [.. kept.Where(f => f.Attempt != filter.Attempt), filter with { Tables = [.. finished] }];
    }

    /// <summary>Stores the finished tables with the offset when more have finished since the last call.</summary>
    async Task StoreProgressAsync(List<TablePlan> plans, HashSet<string> done, InitialSnapshotRequest request, StreamFilterOffset? filter, CancellationToken cancellationToken)
    {
        var finished = plans.Where(p => !p.Progress.Done && p.IsDelivered).ToList();
        if (finished.Count == 0) return;
        foreach (var plan in finished)
        {
            plan.Progress.Finish();
            done.Add(plan.Table.Table.Name.ToString());
        }
        var stored = _process.Offsets.Snapshot;
        // The finished tables' changes that this snapshot holds are skipped even if a crash interrupts it now.
        _process.Offsets.Snapshot = new SnapshotOffset(new InitialSnapshotOffset([.. done.Order(StringComparer.Ordinal)], request.Reason) { Attempt = request.Attempt },
            stored?.Incremental).WithFilters(FiltersWith(filter, stored, plans));
        await _process.Offsets.WriteAsync(request.Lsn, cancellationToken);
        // Only now: "complete" promises that a restart does not read the table again.
        foreach (var plan in finished)
            Log.SnapshotTableDone(_logger, plan.Table.Table.Name.ToString(), plan.Progress.Rows, plan.Progress.RowsPerSecond);
    }

    void LogProgress(TableSnapshotProgress progress)
    {
        var estimate = progress.EstimatedRows > 0 ? $" of about {progress.EstimatedRows:N0} ({Math.Min(100, 100.0 * progress.Rows / progress.EstimatedRows):0}%)" : "";
        var eta = progress.EtaSeconds is { } seconds ? $", about {TimeSpan.FromSeconds(Math.Ceiling(seconds)):c} left" : "";
        Log.SnapshotProgress(_logger, progress.Table, $"{progress.Rows:N0}{estimate}", progress.RowsPerSecond, eta);
    }

    /// <summary>The CTID ranges of a table's relations: about <c>snapshot.fetch.size</c> rows each, the last one open-ended.</summary>
    IEnumerable<Chunk> Chunks(SnapshotTable table, TablePlan plan, NpgsqlLogSequenceNumber lsn)
    {
        foreach (var source in table.Sources)
        {
            var rowsPerPage = source.Pages > 0 && source.EstimatedRows > 0 ? Math.Max(1.0, (double)source.EstimatedRows / source.Pages) : 50;
            var pagesPerChunk = Math.Max(1, (long)(_options.Snapshot.FetchSize / rowsPerPage));
            if (_serverVersionNum < 140000 || source.Pages <= pagesPerChunk)
            {
                yield return new Chunk(plan, source, 0, null, lsn);
                continue;
            }
            for (long from = 0; from < source.Pages; from += pagesPerChunk)
                yield return new Chunk(plan, source, from, from + pagesPerChunk >= source.Pages ? null : from + pagesPerChunk, lsn);
        }
    }

    /// <summary>A table being snapshotted: its chunks and progress.</summary>
    sealed class TablePlan(SnapshotTable table, TableSnapshotProgress progress)
    {
        public SnapshotTable Table { get; } = table;

        public TableSnapshotProgress Progress { get; } = progress;

        public List<Chunk> Chunks { get; } = [];

        /// <summary>Every chunk read, and every record of it acknowledged.</summary>
        public bool IsDelivered => Chunks.All(c => c.Progress.IsCommitted && c.Progress.Pending == 0);
    }

    /// <summary>Pages [<see cref="From"/>, <see cref="To"/>) of one relation (to the end when <see cref="To"/> is null).</summary>
    sealed class Chunk(TablePlan plan, SnapshotSource source, long from, long? to, NpgsqlLogSequenceNumber lsn)
    {
        public TablePlan Plan { get; } = plan;

        public SnapshotSource Source { get; } = source;

        public long From { get; } = from;

        public long? To { get; } = to;

        public TransactionProgress Progress { get; } = new(null, lsn, $"the snapshot of table {plan.Table.Table.Name.Quoted} (pages {from} to {to?.ToString() ?? "end"} of {source.QuotedName})");

        /// <summary>Rows of the chunk handed on (produced, or held back as the worker's last): a read again skips them.</summary>
        public long RowsTaken { get; set; }

        public string Sql(string selectList, string? rowFilter, bool tidRanges)
        {
            var conditions = new List<string>();
            if (tidRanges && (From > 0 || To is not null))
            {
                conditions.Add($"ctid >= '({From},0)'::tid");
                if (To is { } to) conditions.Add($"ctid < '({to},0)'::tid");
            }
            if (rowFilter is not null) conditions.Add($"({rowFilter})");
            return $"SELECT {selectList} FROM ONLY {Source.QuotedName}" + (conditions.Count == 0 ? "" : " WHERE " + string.Join(" AND ", conditions));
        }
    }

    /// <summary>
    /// One reader thread: imports the snapshot (or uses the coordinator's transaction), then reads chunks from the
    /// queue until it is empty, producing each row as it is read. The last row it read is held back and handed to the
    /// coordinator, which writes them all at the end (so exactly one record of the snapshot says <c>last</c>).
    /// </summary>
    sealed class Worker(
        InitialSnapshot owner, NpgsqlConnection? shared, string? snapshotName, ConcurrentQueue<Chunk> queue,
        ConcurrentBag<(ChangeEvent, Chunk)> held, long startedMicros, NpgsqlLogSequenceNumber lsn, uint attempt, Action<Exception> fail, CancellationToken abort)
    {
        readonly ChangeRecordProducer _records = owner._process.RecordProducer(fail, owner._logger);
        NpgsqlConnection? _connection;
        (ChangeEvent Event, Chunk Chunk)? _held;

        public void Run()
        {
            try
            {
                while (queue.TryDequeue(out var chunk))
                {
                    abort.ThrowIfCancellationRequested();
                    ReadWithRetries(chunk);
                }
                if (_held is { } last) held.Add(last);
            }
            catch (OperationCanceledException) when (abort.IsCancellationRequested)
            {
            }
            catch (Exception e)
            {
                fail(e);
            }
            finally
            {
                if (shared is null) _connection?.Dispose();
            }
        }

        void ReadWithRetries(Chunk chunk)
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    Read(chunk);
                    return;
                }
                catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InsufficientPrivilege)
                {
                    throw new SourceConnectorException(FailureKind.Permanent,
                        $"The snapshot cannot read table {chunk.Plan.Table.Table.Name.Quoted}: {e.MessageText}. Grant the connector's role SELECT on it " +
                        $"(GRANT SELECT ON {chunk.Plan.Table.Table.Name.Quoted} TO <role>;), or leave it out of table.include.list", e);
                }
                catch (Exception e) when (e is NpgsqlException && shared is null && attempt < ChunkAttempts && !abort.IsCancellationRequested)
                {
                    // The exported snapshot is still valid while the coordinator's transaction is open: read the chunk again.
                    Log.SnapshotChunkRetry(owner._logger, chunk.Progress.Description!, attempt, e.Message);
                    _connection?.Dispose();
                    _connection = null;
                }
            }
        }

        NpgsqlConnection Connection()
        {
            if (shared is not null) return shared;
            if (_connection is not null) return _connection;
            var connection = new NpgsqlConnection(owner._options.ConnectionString("snapshot"));
            connection.Open();
            // A chunk read again after a broken connection must return its rows in the same order, so that the rows
            // already produced can be skipped: the same snapshot, and a plain scan from the first page (no synchronized
            // scan starting where another scan of the table is, no parallel workers interleaving pages).
            using (var begin = new NpgsqlCommand($"SET synchronize_seqscans = off; SET max_parallel_workers_per_gather = 0; " +
                                                 $"BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET TRANSACTION SNAPSHOT '{snapshotName}'", connection))
                begin.ExecuteNonQuery();
            return _connection = connection;
        }

        void Read(Chunk chunk)
        {
            var table = chunk.Plan.Table;
            var connection = Connection();
            using var command = new NpgsqlCommand(chunk.Sql(table.SelectList, table.RowFilter, owner._serverVersionNum >= 140000), connection)
            {
                AllResultTypesAreUnknown = true,
                CommandTimeout = 0,
            };
            using var cancel = abort.Register(() => command.Cancel());
            using var reader = command.ExecuteReader();
            var columns = reader.FieldCount;
            var source = new SourceInfo(null, lsn, null, startedMicros, "true") { Mark = new SnapshotMark(0, (ulong)lsn, attempt, SnapshotMarkKind.Read) };
            // Read again after a broken connection: the rows already handed on are not written twice (a table without a
            // key would hold them twice at the destination).
            var skip = chunk.RowsTaken;
            while (reader.Read())
            {
                if (skip > 0)
                {
                    skip--;
                    continue;
                }
                var values = new string?[columns];
                for (var i = 0; i < columns; i++) values[i] = reader.IsDBNull(i) ? null : reader.GetString(i);
                var change = new ChangeEvent(ChangeOperation.Read, table.Table, null, new RowImage(values), source, chunk.Progress);
                if (_held is { } previous)
                {
                    _records.Publish(previous.Event, abort);
                    previous.Chunk.Plan.Progress.Add(1);
                    if (!ReferenceEquals(previous.Chunk, chunk)) previous.Chunk.Progress.MarkCommitted(lsn);
                }
                _held = (change, chunk);
                chunk.RowsTaken++;
            }
            if (skip > 0)
            {
                throw new SourceConnectorException(FailureKind.Permanent,
                    $"Reading {chunk.Progress.Description} again after a broken connection returned {chunk.RowsTaken - skip:N0} rows, fewer than the " +
                    $"{chunk.RowsTaken:N0} already written: the snapshot is no longer the same, and its rows would be incomplete");
            }
            // A chunk is complete once its records are produced; the one holding the held-back row completes when that is.
            if (_held is not { } kept || !ReferenceEquals(kept.Chunk, chunk)) chunk.Progress.MarkCommitted(lsn);
        }
    }
}
