using System.Collections.Concurrent;
using System.Diagnostics;
using KafkaCdc.Shared.ChangeEvents;
using KafkaCdc.Shared.Hosting;
using NpgsqlTypes;

namespace KafkaCdc.SourceConnector.Status;

/// <summary>
/// The connector's observable state for <c>/health</c>, <c>/status</c> and the metrics: written by the stages
/// (each field by one of them), read by the REST endpoint. Thread-safe.
/// </summary>
internal sealed class SourceStatus(string name)
{
    readonly ConcurrentDictionary<string, TableCounters> _tables = new(StringComparer.Ordinal);
    readonly Stopwatch _clock = Stopwatch.StartNew();
    long _currentLsn;
    long _confirmedLsn;
    long _serverWalEnd;
    long _records;
    long _heartbeats;
    long _produceErrors;
    long _restarts;
    long _queued;
    double _eventsPerSecond;
    long _lastSampleEvents;
    TimeSpan _lastSampleTime;
    volatile string? _error;

    /// <summary>The connector name.</summary>
    public string Name { get; } = name;

    /// <summary>What the snapshots are doing.</summary>
    public SnapshotStatus Snapshots { get; } = new();

    readonly ConcurrentQueue<string> _signalProblems = new();

    /// <summary>The last signals that could not be carried out, with the reason (at most 20), for <c>/status</c>.</summary>
    public IReadOnlyCollection<string> SignalProblems => _signalProblems;

    /// <summary>Records a signal that could not be carried out.</summary>
    public void RecordSignalProblem(string problem)
    {
        _signalProblems.Enqueue($"{DateTime.UtcNow:u} {problem}");
        while (_signalProblems.Count > 20) _signalProblems.TryDequeue(out _);
    }

    /// <summary>The current state.</summary>
    public ConnectorState State { get; private set; } = ConnectorState.Starting;

    /// <summary>The last permanent or transient error, without secrets.</summary>
    public string? Error => _error;

    /// <summary>The LSN of the last change read from the stream.</summary>
    public NpgsqlLogSequenceNumber CurrentLsn
    {
        get => new((ulong)Interlocked.Read(ref _currentLsn));
        set => Interlocked.Exchange(ref _currentLsn, (long)(ulong)value);
    }

    /// <summary>The LSN last confirmed to PostgreSQL (after the offsets topic stored it).</summary>
    public NpgsqlLogSequenceNumber ConfirmedLsn
    {
        get => new((ulong)Interlocked.Read(ref _confirmedLsn));
        set => Interlocked.Exchange(ref _confirmedLsn, (long)(ulong)value);
    }

    /// <summary>The server's WAL end as last reported on the replication connection.</summary>
    public NpgsqlLogSequenceNumber ServerWalEnd
    {
        get => new((ulong)Interlocked.Read(ref _serverWalEnd));
        set => Interlocked.Exchange(ref _serverWalEnd, (long)(ulong)value);
    }

    /// <summary>WAL bytes the slot holds back: the server's WAL end minus the confirmed LSN.</summary>
    public long LagBytes
    {
        get
        {
            var end = ServerWalEnd;
            var confirmed = ConfirmedLsn;
            return end > confirmed && confirmed != NpgsqlLogSequenceNumber.Invalid ? (long)(end - confirmed) : 0;
        }
    }

    /// <summary>Records produced and not yet acknowledged by Kafka.</summary>
    public long RecordsInFlight => Interlocked.Read(ref _records);

    /// <summary>Heartbeat records sent.</summary>
    public long Heartbeats => Interlocked.Read(ref _heartbeats);

    /// <summary>Records Kafka failed to deliver.</summary>
    public long ProduceErrors => Interlocked.Read(ref _produceErrors);

    /// <summary>Reconnects after transient failures.</summary>
    public long Restarts => Interlocked.Read(ref _restarts);

    /// <summary>Events per second over the last sampling period (see <see cref="Sample"/>).</summary>
    public double EventsPerSecond => Volatile.Read(ref _eventsPerSecond);

    /// <summary>Change events and commits read and not yet taken by the publisher.</summary>
    public long QueueDepth => Interlocked.Read(ref _queued);

    /// <summary>Counts items handed to (positive) or taken from (negative) the reader → publisher channel.</summary>
    public void AddQueued(int count) => Interlocked.Add(ref _queued, count);

    /// <summary>The counters of every table seen.</summary>
    public IEnumerable<TableCounters> Tables => _tables.Values;

    /// <summary>The counters of <paramref name="table"/>, created on first use.</summary>
    public TableCounters CountersFor(string table) => _tables.GetOrAdd(table, t => new TableCounters(t));

    /// <summary>Moves to <paramref name="state"/>, recording <paramref name="error"/> when given.</summary>
    public void Set(ConnectorState state, string? error = null)
    {
        State = state;
        if (error is not null || state is ConnectorState.Streaming) _error = error;
    }

    public void RecordProduced() => Interlocked.Increment(ref _records);

    public void RecordDelivered() => Interlocked.Decrement(ref _records);

    public void RecordProduceError() => Interlocked.Increment(ref _produceErrors);

    public void RecordHeartbeat() => Interlocked.Increment(ref _heartbeats);

    public void RecordRestart() => Interlocked.Increment(ref _restarts);

    /// <summary>Updates <see cref="EventsPerSecond"/> from the total since the previous call; called about once a second.</summary>
    public void Sample()
    {
        var now = _clock.Elapsed;
        var events = _tables.Values.Sum(t => ChangeOperations.All.Sum(t.Count));
        var seconds = (now - _lastSampleTime).TotalSeconds;
        if (seconds <= 0) return;
        Volatile.Write(ref _eventsPerSecond, Math.Round((events - _lastSampleEvents) / seconds, 1));
        _lastSampleEvents = events;
        _lastSampleTime = now;
    }

    /// <summary>What <c>/health</c> answers: unhealthy once failed or stopped.</summary>
    public HealthReport Health() =>
        new(State is not (ConnectorState.Failed or ConnectorState.Stopped), State.ToString().ToLowerInvariant(), Error);

    /// <summary>The <c>/status</c> document.</summary>
    public object Snapshot() => new
    {
        Name,
        State = State.ToString().ToLowerInvariant(),
        CurrentLsn = Format(CurrentLsn),
        ConfirmedLsn = Format(ConfirmedLsn),
        ServerWalEnd = Format(ServerWalEnd),
        LagBytes,
        EventsPerSecond,
        RecordsInFlight,
        QueueDepth,
        Heartbeats,
        Restarts,
        Error,
        Tables = _tables.Values.OrderBy(t => t.Table, StringComparer.Ordinal).ToDictionary(
            t => t.Table,
            t => ChangeOperations.All.ToDictionary(o => o.Code(), t.Count)),
        Snapshot = Snapshots.Document(),
        SignalProblems = _signalProblems.ToArray(),
    };

    static string? Format(NpgsqlLogSequenceNumber lsn) => lsn == NpgsqlLogSequenceNumber.Invalid ? null : lsn.ToString();
}
