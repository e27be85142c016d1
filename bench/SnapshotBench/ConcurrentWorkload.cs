using System.Diagnostics;
using Npgsql;

namespace KafkaCdc.Bench.Snapshot;

/// <summary>
/// Writes to the snapshotted table while a snapshot runs: single-row updates of random rows, each its own
/// transaction, paced at a fixed rate (so every method faces the same load), on one connection of this process.
/// </summary>
/// <remarks>
/// Synchronous calls on a thread of its own: awaited, each update hopped between the socket and thread-pool threads,
/// whose spinning cost this process about 200 µs of CPU per update, taken from the connectors on this 2-core machine.
/// </remarks>
internal sealed class ConcurrentWorkload : IAsyncDisposable
{
    readonly CancellationTokenSource _stop = new();
    readonly Task _loop;
    readonly Stopwatch _clock = Stopwatch.StartNew();
    long _updates;

    ConcurrentWorkload(string connectionString, long rows, int perSecond) =>
        _loop = Task.Factory.StartNew(() => Run(connectionString, rows, perSecond, _stop.Token), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <summary>Updates committed so far.</summary>
    public long Updates => Interlocked.Read(ref _updates);

    /// <summary>Starts updating rows 1 to <paramref name="rows"/> of <c>public.bench</c>, <paramref name="perSecond"/> a second.</summary>
    public static ConcurrentWorkload Start(string connectionString, long rows, int perSecond) => new(connectionString, rows, perSecond);

    /// <summary>Stops, rethrowing what stopped the loop early; returns the updates made and their rate.</summary>
    public async Task<(long Updates, double PerSecond)> StopAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        return (Updates, Updates / _clock.Elapsed.TotalSeconds);
    }

    void Run(string connectionString, long rows, int perSecond, CancellationToken stop)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using var update = new NpgsqlCommand($"UPDATE {BenchDatabases.Table} SET quantity = quantity + 1, created = now() WHERE id = $1", connection)
        {
            Parameters = { new() { Value = 0L } },
        };
        update.Prepare();
        while (!stop.IsCancellationRequested)
        {
            // Pacing, not synchronisation: make up the updates the target rate calls for by now, then wait for the next
            // 10 ms tick (or the stop).
            var due = (long)(_clock.Elapsed.TotalSeconds * perSecond);
            while (Updates < due && !stop.IsCancellationRequested)
            {
                update.Parameters[0].Value = Random.Shared.NextInt64(1, rows + 1);
                update.ExecuteNonQuery();
                Interlocked.Increment(ref _updates);
            }
            stop.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(10));
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested) await StopAsync();
        _stop.Dispose();
    }
}
