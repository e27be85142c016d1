using KafkaCdc.Shared.Hosting;

namespace KafkaCdc.SinkConnector.Monitoring;

/// <summary>What <c>/health</c> and <c>/status</c> report: every task's latest <see cref="TaskSnapshot"/>. Thread-safe.</summary>
public sealed class SinkStatus
{
    readonly TaskSnapshot?[] _tasks;
    readonly SinkMetrics _metrics;
    readonly string _name;
    readonly string _groupId;
    volatile string? _lastError;

    /// <summary>Creates the status of <paramref name="taskCount"/> tasks.</summary>
    public SinkStatus(string name, string groupId, int taskCount, SinkMetrics metrics)
    {
        _name = name;
        _groupId = groupId;
        _tasks = new TaskSnapshot?[taskCount];
        _metrics = metrics;
    }

    /// <summary>Replaces task <paramref name="snapshot"/>.Id's state.</summary>
    public void Update(TaskSnapshot snapshot)
    {
        Volatile.Write(ref _tasks[snapshot.Id], snapshot);
        if (snapshot.LastError is not null) _lastError = snapshot.LastError;
    }

    /// <summary>The tasks' latest states.</summary>
    public IReadOnlyList<TaskSnapshot> Tasks => [.. _tasks.Select((t, i) => Volatile.Read(ref _tasks[i]) ?? new TaskSnapshot(i, "starting", [], null, [], []))];

    /// <summary>
    /// Healthy unless a task failed. A stopped table (<see cref="TaskSnapshot.StoppedTables"/>) makes the state
    /// <c>degraded</c>, with the first stopped table as the error, but keeps the process healthy (<c>/health</c> 200): the
    /// other tables still flow, and a restart, which a liveness probe would trigger, cannot fix the destination; alert on
    /// the state or on <c>kafkacdc_sink_stopped_tables</c> instead.
    /// </summary>
    public HealthReport Health()
    {
        var tasks = Tasks;
        var failed = tasks.FirstOrDefault(t => t.State == "failed");
        if (failed is not null) return new HealthReport(false, "failed", failed.LastError);
        var state = tasks.All(t => t.State == "running") ? "running" : tasks.Select(t => t.State).FirstOrDefault(s => s != "running") ?? "running";
        var stopped = tasks.SelectMany(t => t.StoppedTables).ToList();
        if (stopped.Count == 0) return new HealthReport(true, state);
        return new HealthReport(true, state is "running" or "retrying" ? "degraded" : state, DescribeStopped(stopped));
    }

    static string DescribeStopped(List<StoppedTableSnapshot> stopped)
    {
        var first = stopped[0];
        var table = first.Table is { } name ? $"table {name}" : $"the table of topic {first.Topic}";
        var more = stopped.Count > 1 ? $" ({stopped.Count - 1} more stopped table(s) in /status)" : "";
        return $"{table} stopped at record {first.Topic}/{first.Partition}/{first.Offset}: {first.Reason}{more}";
    }

    /// <summary>The <c>/status</c> document.</summary>
    public object Document()
    {
        var tasks = Tasks;
        return new
        {
            Name = _name,
            GroupId = _groupId,
            State = Health().State,
            RowsPerSecond = Math.Round(_metrics.RowRate.PerSecond(), 1),
            LastError = _lastError,
            ReplayedRecordsSkipped = _metrics.ReplayedSkipped,
            SnapshotRecordsSkipped = _metrics.SnapshotSkipped,
            Tasks = tasks,
        };
    }
}
