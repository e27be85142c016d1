using System.Diagnostics;
using Npgsql;

namespace KafkaCdc.Bench.Snapshot;

/// <summary>
/// Writes to the snapshotted table while a snapshot runs: single-row updates of random rows, each its own
/// transaction, paced at a fixed rate (so every method faces the same load), on one connection of this process.
/// </summary>
internal sealed class ConcurrentWorkload : IAsyncDisposable
{
    readonly CancellationTokenSource _stop = new();
    readonly Task _loop;
    readonly Stopwatch _clock = Stopwatch.StartNew();
    long _updates;

    ConcurrentWorkload(string connectionString, long rows, int perSecond) => _loop = Task.Run(() => RunAsync(connectionString, rows, perSecond, _stop.Token));

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

    async Task RunAsync(string connectionString, long rows, int perSecond, CancellationToken stop)
    {
        await using var connection = await BenchDatabases.OpenAsync(connectionString);
        await using var update = new NpgsqlCommand($"UPDATE {BenchDatabases.Table} SET quantity = quantity + 1, created = now() WHERE id = $1", connection)
        {
            Parameters = { new() { Value = 0L } },
        };
        await update.PrepareAsync(stop);
        // Pacing, not synchronisation: each tick makes up the updates the target rate calls for by now.
        using var ticks = new PeriodicTimer(TimeSpan.FromMilliseconds(10));
        while (await ticks.WaitForNextTickAsync(stop))
        {
            var due = (long)(_clock.Elapsed.TotalSeconds * perSecond);
            while (Updates < due && !stop.IsCancellationRequested)
            {
                update.Parameters[0].Value = Random.Shared.NextInt64(1, rows + 1);
                await update.ExecuteNonQueryAsync(stop);
                Interlocked.Increment(ref _updates);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested) await StopAsync();
        _stop.Dispose();
    }
}
