using System.Collections.Concurrent;
using KafkaCdc.Shared.ChangeEvents;
using KafkaCdc.Shared.Postgres;
using KafkaCdc.SourceConnector.ChangeEvents;
using KafkaCdc.SourceConnector.Checkpointing;
using KafkaCdc.SourceConnector.Configuration;
using KafkaCdc.SourceConnector.Status;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace KafkaCdc.SourceConnector.Snapshots;

/// <summary>
/// Incremental snapshots while streaming (DBLog's algorithm, as Debezium implements it): tables are read in chunks of
/// <c>incremental.snapshot.chunk.size</c> rows ordered by the primary key (or <c>snapshot.key.columns</c>); each chunk
/// is held in a window until the stream has passed every transaction the chunk's query could see, and a row whose key
/// the stream changed meanwhile (in a transaction the query could not see) is dropped from the window, because the
/// stream already carries a newer version of it. The rest are written as read events (<c>source.snapshot</c>
/// <c>incremental</c>) at that point of the stream, so no older version of a row ever follows a newer one.
/// </summary>
/// <remarks>
/// <para><b>Watermarks</b>: on a read-write connection with the signal table published, a low and a high watermark row
/// are inserted into the signal table around each chunk query, and the window closes when the high one arrives in the
/// stream. Read-only (<c>read.only=true</c>, or no usable signal table), the connector writes nothing: the query runs in
/// a transaction that also reads <c>pg_current_snapshot()</c> and the WAL position, and the window closes once the
/// stream has passed that position (on an idle database, with the keepalives or the heartbeat job's changes). Either
/// way a stream change counts against the window only when its transaction is not visible in the query's snapshot.</para>
/// <para><b>Durability</b>: progress (the tables left, the last key written, the chunk's upper bound, paused or not)
/// is stored with the source offset through the <see cref="Checkpointer"/>: a state is stored only together with an
/// LSN at or after the stream position where it was reached and once every record before it is acknowledged, so a
/// restart resumes at the next chunk.</para>
/// <para>Used by the reader thread only, except <see cref="Enqueue"/> and <see cref="WaitForWorkAsync"/>.</para>
/// </remarks>
internal sealed class IncrementalSnapshotter : IAsyncDisposable
{
    const int RecentCapacity = 4096;
    static readonly TimeSpan s_idlePoll = TimeSpan.FromMilliseconds(100);
    readonly SourceProcess _process;
    readonly SourceOptions _options;
    readonly SnapshotCatalog _catalog;
    readonly Checkpointer _checkpointer;
    readonly ILogger _logger;
    readonly bool _watermarks;
    readonly bool _inRecovery;
    readonly ConcurrentQueue<Signal> _inbox = new();
    readonly List<Signal> _streamSignals = [];
    readonly Queue<(uint Xid, string Key)> _recent = new();
    readonly SnapshotStatus _status;
    volatile TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    NpgsqlConnection? _connection;
    Run? _run;
    Window? _window;
    int _chunkNumber;
    // Watermark ids must not repeat those of an earlier process resuming the same snapshot (the signal table's key).
    readonly string _session = Guid.NewGuid().ToString("N")[..8];

    /// <summary>Creates the snapshotter of a session.</summary>
    /// <param name="process">The process's parts (options, offsets, topics, status).</param>
    /// <param name="catalog">Describes tables as the stream would.</param>
    /// <param name="checkpointer">Ties stored progress to stream positions.</param>
    /// <param name="watermarks">Whether watermark rows may be written (read-write, signal table published).</param>
    /// <param name="inRecovery">Whether the server is a standby.</param>
    /// <param name="restored">Progress stored with the offset, to resume.</param>
    /// <param name="logger">Logging.</param>
    public IncrementalSnapshotter(SourceProcess process, SnapshotCatalog catalog, Checkpointer checkpointer, bool watermarks, bool inRecovery,
        IncrementalSnapshotOffset? restored, ILogger logger)
    {
        _process = process;
        _options = process.Options;
        _catalog = catalog;
        _checkpointer = checkpointer;
        _watermarks = watermarks;
        _inRecovery = inRecovery;
        _logger = logger;
        _status = process.Status.Snapshots;
        if (restored is not null)
        {
            _run = Run.From(restored);
            _status.Begin("incremental", $"signal {restored.Id} (resumed)");
            if (_run.Paused) _status.Set("paused");
            Log.SnapshotInfo(logger, $"Resuming incremental snapshot {restored.Id}: {string.Join(", ", restored.Tables)} left" +
                (restored.LastKey is null ? "" : $", {restored.Tables[0]} after key ({string.Join(", ", restored.LastKey)})") + (_run.Paused ? " (paused)" : ""));
        }
    }

    /// <summary>Whether the reader should call <see cref="StepAsync"/> while the stream is idle.</summary>
    public bool HasWork => !_inbox.IsEmpty || _run is { Paused: false } || _window is not null;

    /// <summary>Whether <see cref="StepAsync"/> has anything to do after a commit (most commits: nothing, and no call).</summary>
    public bool NeedsStep => HasWork || _streamSignals.Count > 0;

    /// <summary>Queues a signal from <c>POST /signals</c> (any thread); the reader applies it at its next step.</summary>
    public void Enqueue(Signal signal)
    {
        _inbox.Enqueue(signal);
        Interlocked.Exchange(ref _wake, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    /// <summary>A signal row that could not be parsed: logged with its id and reason, shown in <c>/status</c>.</summary>
    public void Reject(SignalException rejected) => SignalFailed(rejected.Id, rejected.Reason);

    /// <summary>Completes when a signal is queued, or after a short while when a window waits for the stream to pass a position.</summary>
    public Task WaitForWorkAsync(CancellationToken cancellationToken) =>
        _window is { CloseLsn: not null } || _run is { Paused: false } && _window is null || !_inbox.IsEmpty
            ? Task.Delay(s_idlePoll, cancellationToken)
            : _wake.Task.WaitAsync(cancellationToken);

    /// <summary>A signal row arrived in the stream (inside its transaction); it is applied at the transaction's commit.</summary>
    public void OnSignalRow(Signal signal) => _streamSignals.Add(signal);

    /// <summary>
    /// A stream change, before it is written: changes of the table in the window made by transactions the chunk's query
    /// could not see drop their rows from the window. Returns the change to write (an update's unchanged TOASTed values
    /// filled in from the window's row, which is the row's state before the update).
    /// </summary>
    public ChangeEvent OnChange(ChangeEvent change)
    {
        if (_run is null || change.Source.TransactionId is not { } id) return change;
        var current = _run.Current;
        if (current is null || change.Table.Name != current.Name) return change;
        var xid = unchecked((uint)id);
        var keys = KeysOf(change);
        foreach (var key in keys)
        {
            _recent.Enqueue((xid, key));
            if (_recent.Count > RecentCapacity) _recent.Dequeue();
        }
        if (_window is not { } window || window.Snapshot.Sees(xid)) return change;
        if (change.Operation == ChangeOperation.Truncate)
        {
            window.Rows.Clear();
            return change;
        }
        ChangeEvent result = change;
        foreach (var key in keys)
        {
            if (!window.Rows.Remove(key, out var row)) continue;
            if (change.After is { HasUnchangedToast: true } after && change.Operation == ChangeOperation.Update && key == keys[^1])
                result = new ChangeEvent(change.Operation, change.Table, change.Before, RowImage.WithUnchangedToastFrom(after, row), change.Source, change.Transaction);
        }
        return result;
    }

    /// <summary>
    /// A watermark row of the stream: when it is the current window's high watermark, the window closes here and its
    /// rows are returned to be written.
    /// </summary>
    public IReadOnlyList<PipelineItem>? OnWatermark(string id, NpgsqlLogSequenceNumber position) =>
        _window is { CloseId: { } closeId } && closeId == id ? Close(position) : null;

    /// <summary>
    /// Between transactions (after a commit) or while the stream is idle: applies signals, closes the window once the
    /// stream passed its position, and reads the next chunk when none is open. Returns the items to write, if any.
    /// </summary>
    /// <param name="position">The stream position: the end of the last commit, or (idle) the WAL end the server last reported.</param>
    /// <param name="cancellationToken">Stops the step.</param>
    public async ValueTask<IReadOnlyList<PipelineItem>?> StepAsync(NpgsqlLogSequenceNumber position, CancellationToken cancellationToken)
    {
        List<PipelineItem>? items = null;
        foreach (var signal in _streamSignals) Apply(signal, position, ref items);
        _streamSignals.Clear();
        while (_inbox.TryDequeue(out var queued)) Apply(queued, position, ref items);

        if (_window is { CloseLsn: { } closeLsn } && position >= closeLsn) (items ??= []).AddRange(Close(position));
        if (_window is null && _run is { Paused: false } && position != NpgsqlLogSequenceNumber.Invalid)
        {
            try
            {
                await OpenAsync(cancellationToken);
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException && !cancellationToken.IsCancellationRequested)
            {
                // The database is briefly unreachable for the chunk query: the stream goes on, the chunk is read on a later step.
                Log.SnapshotChunkRetry(_logger, $"the next chunk of {_run.Current?.Name.ToString() ?? "the incremental snapshot"}", 1, e.Message);
                await CloseConnectionAsync();
            }
            if (_window is null && _run is { Current: null }) (items ??= []).AddRange(Finish(position));
        }
        return items;
    }

    /// <summary>Starts an incremental snapshot of <paramref name="tables"/> without a signal (initial method incremental, new tables).</summary>
    public void Start(string id, IReadOnlyList<TableName> tables, string why)
    {
        if (tables.Count == 0) return;
        Enqueue(new Signal(id, SignalType.ExecuteSnapshot, tables, new Dictionary<TableName, string>(), why));
    }

    /// <summary>
    /// Backfills <paramref name="table"/> after a schema change (reader thread): an incremental snapshot of it, or, when
    /// the running snapshot already includes it, that table's snapshot started again from its first row.
    /// </summary>
    public void Backfill(string id, TableName table, string why) =>
        Enqueue(new Signal(id, SignalType.ExecuteSnapshot, [table], new Dictionary<TableName, string>(), why) { RestartsTables = true });

    void Apply(Signal signal, NpgsqlLogSequenceNumber position, ref List<PipelineItem>? items)
    {
        Log.SnapshotInfo(_logger, $"Signal {signal.Id} ({signal.Source}): {signal.Type}{(signal.Tables.Count == 0 ? "" : " " + string.Join(", ", signal.Tables))}");
        switch (signal.Type)
        {
            case SignalType.ExecuteSnapshot:
                var captured = signal.Tables.Where(_process.CaptureRules.IsCaptured).ToList();
                foreach (var skipped in signal.Tables.Except(captured))
                    SignalFailed(signal.Id, $"{skipped} is not a captured table (table.include.list, publication); it is left out");
                if (captured.Count == 0) return;
                if (_run is null)
                {
                    _run = new Run(signal.Id);
                    _status.Begin("incremental", $"signal {signal.Id}");
                }
                foreach (var table in captured)
                {
                    var queued = _run.Tables.FindIndex(q => q.Name == table);
                    if (queued < 0) _run.Tables.Add(new TableTask(table, signal.Conditions.GetValueOrDefault(table)));
                    else if (signal.RestartsTables) Restart(_run, queued, signal.Id);
                }
                break;
            case SignalType.StopSnapshot when _run is not null:
                var stopped = signal.Tables.Count == 0 ? _run.Tables.Select(t => t.Name).ToList() : signal.Tables.ToList();
                if (_window is not null && stopped.Contains(_window.Task.Name)) _window = null;
                _run.Tables.RemoveAll(t => stopped.Contains(t.Name));
                Log.SnapshotInfo(_logger, $"Incremental snapshot {_run.Id}: stopped {string.Join(", ", stopped)}");
                if (_run.Tables.Count == 0)
                {
                    _run = null;
                    _recent.Clear();
                    _status.Set("stopped");
                }
                break;
            case SignalType.PauseSnapshot when _run is not null:
                _run.Paused = true;
                _status.Set("paused");
                break;
            case SignalType.ResumeSnapshot when _run is not null:
                _run.Paused = false;
                _status.Set("running");
                break;
            case SignalType.Watermark:
                return;
            default:
                SignalFailed(signal.Id, $"{signal.Type} but no incremental snapshot is running");
                return;
        }
        (items ??= []).AddRange(Persist(position));
    }

    /// <summary>A queued table to read whole again: from its first row, without a condition, its open window dropped.</summary>
    void Restart(Run run, int index, string id)
    {
        var task = run.Tables[index];
        var started = _window?.Task == task || task.MaxKnown || task.LastKey is not null;
        if (!started && task.Condition is null) return; // not begun: it reads the rows as they are now anyway
        if (_window?.Task == task) _window = null;
        run.Tables[index] = new TableTask(task.Name, null);
        Log.SnapshotInfo(_logger, $"Incremental snapshot {run.Id}: {task.Name} starts again from its first row (signal {id})");
    }

    void SignalFailed(string? id, string reason)
    {
        _process.Status.RecordSignalProblem($"signal '{id}': {reason}");
        Log.SignalRejected(_logger, id ?? "(none)", reason);
    }

    /// <summary>Reads the next chunk of the current table into a new window (or moves past a finished or unreadable table).</summary>
    async Task OpenAsync(CancellationToken cancellationToken)
    {
        var run = _run!;
        while (run.Current is { } task)
        {
            var connection = await ConnectionAsync(cancellationToken);
            SnapshotTable? table;
            try
            {
                table = (await _catalog.DescribeAsync(connection, [task.Name], cancellationToken)).SingleOrDefault();
                if (table is null) throw new SignalException(run.Id, $"table {task.Name} does not exist or is not published by {_options.PublicationName}");
                task.KeyColumns ??= KeyColumnsOf(run.Id, table);
                if (!task.MaxKnown)
                {
                    task.MaxKey = await MaxKeyAsync(connection, table, task, cancellationToken);
                    task.MaxKnown = true;
                    _status.For(task.Name.ToString(), table.EstimatedRows);
                    Log.SnapshotInfo(_logger, $"Incremental snapshot {run.Id}: {task.Name} by ({string.Join(", ", task.KeyColumns)})" +
                        (task.Condition is null ? "" : $" where {task.Condition}") + (task.MaxKey is null ? ": empty" : $" up to ({string.Join(", ", task.MaxKey)})"));
                }
                if (task.MaxKey is null)
                {
                    FinishTable(run, task);
                    continue;
                }
                await ReadChunkAsync(connection, run, task, table, cancellationToken);
                return;
            }
            catch (Exception e) when (e is SignalException || e is PostgresException { SqlState: not (PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CannotConnectNow) })
            {
                // A table that cannot be snapshotted (no key, a bad filter, no privilege) is left out; the stream is not disturbed.
                var reason = e is SignalException signal ? signal.Reason : ((PostgresException)e).MessageText;
                SignalFailed(run.Id, $"the incremental snapshot of {task.Name} failed and was left out: {reason}");
                await RollbackAsync(connection);
                run.Tables.Remove(task);
            }
        }
    }

    IReadOnlyList<string> KeyColumnsOf(string id, SnapshotTable table)
    {
        if (_options.Snapshot.KeyColumns.TryGetValue(table.Table.Name, out var configured))
        {
            foreach (var column in configured.Where(c => table.Table.Schema.Columns.All(m => m.Column.Name != c)))
                throw new SignalException(id, $"{SnapshotSettings.KeyColumnsKey} names column '{column}', which table {table.Table.Name} does not have (or does not publish)");
            return configured;
        }
        if (table.Table.Schema.KeyColumns.Count == 0)
            throw new SignalException(id, $"table {table.Table.Name} has no primary key to read it in chunks by; name its key columns in {SnapshotSettings.KeyColumnsKey}");
        return [.. table.Table.Schema.KeyColumns.Select(k => k.Column.Name)];
    }

    async Task<string?[]?> MaxKeyAsync(NpgsqlConnection connection, SnapshotTable table, TableTask task, CancellationToken cancellationToken)
    {
        var keys = task.KeyColumns!;
        // Aliased: ORDER BY a bare name would otherwise sort the text output column of that name, not the key.
        var sql = $"SELECT {string.Join(", ", keys.Select((k, i) => $"{PgIdentifier.Quote(k)}::text AS key_{i}"))} FROM {From(table)}" +
                  $"{Where(table, task, [])} ORDER BY {string.Join(", ", keys.Select(k => PgIdentifier.Quote(k) + " DESC"))} LIMIT 1";
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) return null;
        return [.. Enumerable.Range(0, keys.Count).Select(i => reader.IsDBNull(i) ? null : reader.GetString(i))];
    }

    async Task ReadChunkAsync(NpgsqlConnection connection, Run run, TableTask task, SnapshotTable table, CancellationToken cancellationToken)
    {
        var number = ++_chunkNumber;
        var watermarkId = $"{run.Id}-{_session}-{number}";
        if (_watermarks) await WatermarkAsync(connection, watermarkId + "-open", Signal.WindowOpen, task, cancellationToken);

        var keys = task.KeyColumns!;
        var columns = table.Table.Schema.Columns;
        var keyIndexes = keys.Select(k => columns.ToList().FindIndex(c => c.Column.Name == k)).ToArray();
        var types = keyIndexes.Select(i => columns[i].Column.Type.FormattedType).ToArray();
        var conditions = new List<string>();
        var parameters = new List<NpgsqlParameter>();
        string Tuple(IReadOnlyList<string?> values)
        {
            var list = new List<string>();
            for (var i = 0; i < values.Count; i++)
            {
                parameters.Add(new NpgsqlParameter { Value = (object?)values[i] ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
                list.Add($"CAST(${parameters.Count} AS {types[i]})");
            }
            return $"({string.Join(", ", list)})";
        }
        var keyTuple = $"({string.Join(", ", keys.Select(PgIdentifier.Quote))})";
        if (task.LastKey is { } last) conditions.Add($"{keyTuple} > {Tuple(last)}");
        conditions.Add($"{keyTuple} <= {Tuple(task.MaxKey!)}");
        var chunkSize = _options.Snapshot.IncrementalChunkSize;
        var sql = $"SELECT {table.SelectList} FROM {From(table)}{Where(table, task, conditions)} ORDER BY {string.Join(", ", keys.Select(PgIdentifier.Quote))} LIMIT {chunkSize}";

        await ExecuteAsync(connection, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", cancellationToken);
        XidSnapshot snapshot;
        await using (var current = new NpgsqlCommand("SELECT pg_current_snapshot()::text", connection))
            snapshot = XidSnapshot.Parse((string)(await current.ExecuteScalarAsync(cancellationToken))!);
        var rows = new Dictionary<string, RowImage>(StringComparer.Ordinal);
        var order = new List<string>();
        string?[]? lastKey = null;
        await using (var command = new NpgsqlCommand(sql, connection) { AllResultTypesAreUnknown = true })
        {
            command.Parameters.AddRange(parameters.ToArray());
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var values = new string?[reader.FieldCount];
                for (var i = 0; i < values.Length; i++) values[i] = reader.IsDBNull(i) ? null : reader.GetString(i);
                lastKey = [.. keyIndexes.Select(i => values[i])];
                var key = KeyText(lastKey);
                if (rows.TryAdd(key, new RowImage(values))) order.Add(key);
            }
        }
        NpgsqlLogSequenceNumber closeLsn;
        await using (var wal = new NpgsqlCommand(_inRecovery ? "SELECT pg_last_wal_replay_lsn()" : "SELECT pg_current_wal_lsn()", connection))
            closeLsn = (NpgsqlLogSequenceNumber)(await wal.ExecuteScalarAsync(cancellationToken))!;
        await ExecuteAsync(connection, "COMMIT", cancellationToken);

        // Changes the reader handled just before this chunk, in transactions the chunk's query did not see, are newer than its rows.
        foreach (var (xid, key) in _recent)
        {
            if (!snapshot.Sees(xid)) rows.Remove(key);
        }

        string? closeId = null;
        if (_watermarks)
        {
            closeId = watermarkId + "-close";
            await WatermarkAsync(connection, closeId, Signal.WindowClose, task, cancellationToken);
        }
        _window = new Window(task, table, snapshot, rows, order, lastKey, order.Count >= chunkSize, closeId, closeId is null ? closeLsn : null);
    }

    async Task WatermarkAsync(NpgsqlConnection connection, string id, string type, TableTask task, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"INSERT INTO {_options.SignalTable.Quoted} (id, type, data) VALUES ($1, $2, $3)", connection)
        {
            Parameters =
            {
                new() { Value = id },
                new() { Value = type },
                new() { Value = $"{{\"data-collection\": \"{task.Name.ToString().Replace("\\", "\\\\").Replace("\"", "\\\"")}\"}}" },
            },
        };
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Writes the window's remaining rows as read events at <paramref name="position"/> and moves the table's progress on.</summary>
    IReadOnlyList<PipelineItem> Close(NpgsqlLogSequenceNumber position)
    {
        var window = _window!;
        _window = null;
        var task = window.Task;
        var items = new List<PipelineItem>(window.Rows.Count + 1);
        var progress = _checkpointer.Begin(null, position);
        var source = new SourceInfo(null, position, null, (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) / 10, "incremental");
        var tableProgress = _status.For(task.Name.ToString(), window.Table.EstimatedRows);
        foreach (var key in window.Order)
        {
            if (window.Rows.TryGetValue(key, out var row)) items.Add(new ChangeEvent(ChangeOperation.Read, window.Table.Table, null, row, source, progress));
        }
        tableProgress.Add(window.Rows.Count);
        task.Rows += window.Rows.Count;
        if (window.LastKey is not null) task.LastKey = window.LastKey;
        if (!window.WasFull || window.LastKey is null || KeyText(window.LastKey) == KeyText(task.MaxKey!))
            FinishTable(_run!, task);
        progress.OnDrained = Persister(_run!.ToOffset());
        items.Add(new TransactionCommit(progress, position));
        return items;
    }

    void FinishTable(Run run, TableTask task)
    {
        run.Tables.Remove(task);
        _status.For(task.Name.ToString(), 0).Finish();
        Log.SnapshotInfo(_logger, $"Incremental snapshot {run.Id}: {task.Name} complete, {task.Rows:N0} rows");
    }

    IReadOnlyList<PipelineItem> Finish(NpgsqlLogSequenceNumber position)
    {
        var run = _run!;
        _run = null;
        _recent.Clear();
        _status.Set("done");
        Log.SnapshotInfo(_logger, $"Incremental snapshot {run.Id} complete");
        return Persist(position);
    }

    /// <summary>A pseudo-transaction that stores the current progress once everything before it is acknowledged.</summary>
    IReadOnlyList<PipelineItem> Persist(NpgsqlLogSequenceNumber position)
    {
        var progress = _checkpointer.Begin(null, position);
        progress.OnDrained = Persister(_run?.ToOffset());
        return [new TransactionCommit(progress, position)];
    }

    Action Persister(IncrementalSnapshotOffset? state)
    {
        var offsets = _process.Offsets;
        return () => offsets.Snapshot = (offsets.Snapshot ?? new SnapshotOffset()) with { Incremental = state };
    }

    static string From(SnapshotTable table) =>
        (table.Sources.Count == 1 && table.Sources[0].Oid == table.Oid ? "ONLY " : "") + table.Table.Name.Quoted;

    static string Where(SnapshotTable table, TableTask task, List<string> conditions)
    {
        var all = new List<string>(conditions);
        if (table.RowFilter is not null) all.Add($"({table.RowFilter})");
        if (task.Condition is not null) all.Add($"({task.Condition})");
        return all.Count == 0 ? "" : " WHERE " + string.Join(" AND ", all);
    }

    static string KeyText(IReadOnlyList<string?> values) => string.Join("\u0001", values.Select(v => v ?? "\u0000"));

    /// <summary>The key texts a change touches in the window's table: the new key, and the old one when it differs or is deleted.</summary>
    string[] KeysOf(ChangeEvent change)
    {
        var task = _run!.Current!;
        var keys = task.KeyColumns;
        if (keys is null) return [];
        var columns = change.Table.Schema.Columns;
        var indexes = new int[keys.Count];
        for (var i = 0; i < keys.Count; i++)
        {
            indexes[i] = -1;
            for (var c = 0; c < columns.Count; c++)
            {
                if (columns[c].Column.Name == keys[i]) indexes[i] = c;
            }
            if (indexes[i] < 0) return [];
        }
        string? Of(RowImage? row) => row is null || indexes.Any(i => i >= row.Values.Length) ? null : KeyText([.. indexes.Select(i => row.Values[i])]);
        var before = Of(change.Before);
        var after = Of(change.After);
        return (before, after) switch
        {
            (null, null) => [],
            (null, _) => [after!],
            (_, null) => [before],
            _ when before == after => [after!],
            _ => [before, after!],
        };
    }

    async Task<NpgsqlConnection> ConnectionAsync(CancellationToken cancellationToken)
    {
        if (_connection is { State: System.Data.ConnectionState.Open }) return _connection;
        await CloseConnectionAsync();
        var connection = new NpgsqlConnection(_options.ConnectionString("incremental snapshot"));
        await connection.OpenAsync(cancellationToken);
        // A watermark's commit flushed at once: with synchronous_commit=off on the server it would reach the stream
        // only when the WAL writer next flushes (up to wal_writer_delay later), and every chunk would wait for that.
        if (_watermarks) await ExecuteAsync(connection, "SET synchronous_commit = local", cancellationToken);
        return _connection = connection;
    }

    async Task CloseConnectionAsync()
    {
        if (_connection is not null) await _connection.DisposeAsync();
        _connection = null;
    }

    static async Task RollbackAsync(NpgsqlConnection connection)
    {
        try
        {
            if (connection.State == System.Data.ConnectionState.Open) await ExecuteAsync(connection, "ROLLBACK", CancellationToken.None);
        }
        catch (NpgsqlException)
        {
            // Nothing to roll back, or the connection is gone: the next step opens a new one.
        }
    }

    static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await CloseConnectionAsync();
    }

    /// <summary>An incremental snapshot in progress.</summary>
    sealed class Run(string id)
    {
        public string Id { get; } = id;

        public List<TableTask> Tables { get; } = [];

        public bool Paused { get; set; }

        public TableTask? Current => Tables.Count == 0 ? null : Tables[0];

        public IncrementalSnapshotOffset ToOffset()
        {
            var current = Current;
            return new IncrementalSnapshotOffset(Id, [.. Tables.Select(t => t.Name.Quoted)],
                Tables.Where(t => t.Condition is not null).ToDictionary(t => t.Name.Quoted, t => t.Condition!),
                current?.LastKey, current is { MaxKnown: true } ? current.MaxKey : null, Paused)
            {
                MaxKnown = current?.MaxKnown ?? false,
                KeyColumns = current?.KeyColumns,
            };
        }

        public static Run From(IncrementalSnapshotOffset offset)
        {
            var run = new Run(offset.Id) { Paused = offset.Paused };
            foreach (var name in offset.Tables)
            {
                var table = TableName.TryParse(name, out _);
                if (table is not null) run.Tables.Add(new TableTask(table, offset.Conditions?.GetValueOrDefault(name)));
            }
            if (run.Current is { } current)
            {
                current.LastKey = offset.LastKey?.ToArray();
                current.MaxKey = offset.MaxKey?.ToArray();
                current.MaxKnown = offset.MaxKnown;
                current.KeyColumns = offset.KeyColumns;
            }
            return run;
        }
    }

    /// <summary>One table of a run.</summary>
    sealed class TableTask(TableName name, string? condition)
    {
        public TableName Name { get; } = name;

        public string? Condition { get; } = condition;

        public IReadOnlyList<string>? KeyColumns { get; set; }

        public string?[]? LastKey { get; set; }

        public string?[]? MaxKey { get; set; }

        public bool MaxKnown { get; set; }

        public long Rows { get; set; }
    }

    /// <summary>A chunk held until the stream passes the positions its query could see.</summary>
    sealed record Window(
        TableTask Task, SnapshotTable Table, XidSnapshot Snapshot, Dictionary<string, RowImage> Rows, List<string> Order, string?[]? LastKey,
        bool WasFull, string? CloseId, NpgsqlLogSequenceNumber? CloseLsn);
}
