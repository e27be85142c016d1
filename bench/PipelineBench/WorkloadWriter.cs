using System.Diagnostics;
using Npgsql;

namespace KafkaCdc.Bench.Pipeline;

/// <summary>
/// Runs a <see cref="Workload"/> on a thread of its own with synchronous calls on one connection (awaited, every
/// statement would hop between threads, CPU taken from the processes measured), noting on the run's clock when the
/// first and the last transaction committed.
/// </summary>
internal sealed class WorkloadWriter
{
    readonly Stopwatch _clock;
    readonly Task _task;
    long _firstCommitTicks = -1;
    long _lastCommitTicks = -1;
    long _commits;

    WorkloadWriter(string connectionString, Workload workload, string table, Stopwatch clock)
    {
        _clock = clock;
        _task = Task.Factory.StartNew(() =>
        {
            using var connection = new NpgsqlConnection(connectionString);
            connection.Open();
            workload.Write(connection, table, Committed);
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>Starts writing <paramref name="workload"/> into <paramref name="table"/>; times are read on <paramref name="clock"/>.</summary>
    public static WorkloadWriter Start(string connectionString, Workload workload, string table, Stopwatch clock) => new(connectionString, workload, table, clock);

    /// <summary>Whether every transaction is committed (throws what stopped the writer, if something did).</summary>
    public bool Done
    {
        get
        {
            if (_task.IsFaulted) throw new InvalidOperationException($"the workload writer failed: {_task.Exception!.InnerException!.Message}", _task.Exception.InnerException);
            return _task.IsCompleted;
        }
    }

    /// <summary>When the first transaction's commit returned, on the run's clock.</summary>
    public TimeSpan FirstCommit => Ticks(ref _firstCommitTicks, "first");

    /// <summary>When the last transaction's commit returned, on the run's clock.</summary>
    public TimeSpan LastCommit => Ticks(ref _lastCommitTicks, "last");

    /// <summary>Transactions committed.</summary>
    public long Commits => Interlocked.Read(ref _commits);

    /// <summary>Waits for the writer to end (rethrowing what stopped it).</summary>
    public Task WaitAsync() => _task;

    void Committed()
    {
        var now = _clock.Elapsed.Ticks;
        Interlocked.CompareExchange(ref _firstCommitTicks, now, -1);
        Interlocked.Exchange(ref _lastCommitTicks, now);
        Interlocked.Increment(ref _commits);
    }

    static TimeSpan Ticks(ref long ticks, string which)
    {
        var value = Interlocked.Read(ref ticks);
        return value >= 0 ? TimeSpan.FromTicks(value) : throw new InvalidOperationException($"the workload writer has not committed its {which} transaction");
    }
}
