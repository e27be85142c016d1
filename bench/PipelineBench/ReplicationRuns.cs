using System.Diagnostics;
using KafkaCdc.Bench.Common;
using Npgsql;

namespace KafkaCdc.Bench.Pipeline;

/// <summary>
/// The change-data-capture runs: a workload written into a table of its own while one path replicates it, timed from
/// the first commit until the destination holds the final state, then checked: the destination's table must equal the
/// source's (rows and content checksum), and the pipeline's topic must hold exactly one record per change.
/// </summary>
internal sealed class ReplicationRuns(PipelineSettings settings, BenchStack stack, BenchDatabases databases, ConnectorConfigs configs)
{
    /// <summary>
    /// Runs <paramref name="workload"/> through the pipeline with <paramref name="sinkTasks"/> sink tasks, or through
    /// native logical replication when null; with <paramref name="latency"/> the destination records every row's arrival.
    /// </summary>
    public async Task<PipelineResult> RunAsync(Workload workload, int? sinkTasks, bool latency)
    {
        var table = $"{workload.Name}_{(sinkTasks is { } t ? $"t{t}" : "native")}";
        var destination = sinkTasks is null ? databases.Native : databases.Sink;
        // The latency runs warm up within their workload (the rows of the first seconds are not counted).
        var warmup = latency ? 0 : settings.WarmupChanges;
        await databases.PrepareAsync(table, workload.PrefilledRows, destination, arrivals: latency);
        IReplicationPath path = sinkTasks is { } tasks
            ? new PipelinePath(databases, configs, stack.Kafka, settings, table, tasks, warmup + workload.Changes)
            : new NativeSubscription(databases, stack.Postgres, table, workload);
        try
        {
            await path.StartAsync();
            await using var probe = await Sql.OpenAsync(destination);
            await WarmUpAsync(path, probe, table, warmup);
            using var cpu = new CpuMark(stack.PostmasterPid, path);
            var clock = Stopwatch.StartNew();
            var writer = WorkloadWriter.Start(databases.Source, workload, table, clock);
            await Poll.UntilAsync(() => path.HoldsFinalStateAsync(probe, writer), Deadline(workload.Changes),
                $"{path.Name}: {table} in the destination to hold the workload's final state", TimeSpan.FromMilliseconds(20), () =>
                {
                    _ = writer.Done;
                    path.ThrowIfFailed();
                });
            var end = clock.Elapsed;
            await writer.WaitAsync();
            var result = cpu.Measured(new PipelineResult(workload.Name, workload.Description, path.Name, workload.Changes, sinkTasks is null)
            {
                Elapsed = end - writer.FirstCommit,
                Writing = writer.LastCommit - writer.FirstCommit,
                AfterLastCommit = end - writer.LastCommit,
            });
            Console.WriteLine($"{workload.Name} / {path.Name}: {workload.Changes:N0} changes in {writer.Commits:N0} transactions, final state at the destination " +
                              $"{result.Elapsed!.Value.TotalSeconds:0.00} s after the first commit ({result.PerSecond:N0}/s), {result.AfterLastCommit!.Value.TotalSeconds:0.00} s " +
                              $"after the last; {cpu.PostgresByRole()}; {cpu.Threads()}");

            await CheckAsync(path, table, warmup + workload.Changes);
            if (!latency) return result;
            var stats = await BenchDatabases.LatencyAsync(destination, table, workload.MeasuredFromKey);
            var measured = workload.Changes - workload.MeasuredFromKey + 1;
            if (stats.Rows != measured) throw new InvalidOperationException($"arrivals were recorded for {stats.Rows:N0} of the {measured:N0} measured rows of {table}");
            Console.WriteLine($"{workload.Name} / {path.Name}: commit → destination over {stats.Rows:N0} rows: p50 {stats.P50.TotalMilliseconds:N0} ms, " +
                              $"p99 {stats.P99.TotalMilliseconds:N0} ms, max {stats.Max.TotalMilliseconds:N0} ms; offered {workload.Changes / result.Writing!.Value.TotalSeconds:N0} changes/s");
            return result with { Latency = stats };
        }
        finally
        {
            await path.DisposeAsync();
            await databases.DropAsync(table, destination);
        }
    }

    /// <summary>
    /// The destination's table equals the source's, and the pipeline's topic holds one record per change (more would
    /// mean the offsets counted something else, and the final state was declared early).
    /// </summary>
    async Task CheckAsync(IReplicationPath path, string table, long changes)
    {
        var source = await Sql.ContentAsync(databases.Source, table);
        var destination = await Sql.ContentAsync(path.Destination, table);
        if (source != destination) throw new InvalidOperationException($"the destination's {table} differs from the source's: source {source}, destination {destination}");
        if (path is PipelinePath pipeline && pipeline.TopicRecords() is var (written, dropped) && written != changes)
            throw new InvalidOperationException($"the topic of {table} holds {written:N0} records ({dropped:N0} dropped by the mock's retention), not one per change ({changes:N0})");
    }

    /// <summary>
    /// Replicates <paramref name="rows"/> inserts (keys −rows to −1, below every workload's) in transactions of
    /// <c>--transaction-rows</c>, and waits until the destination holds them: the processes of a fresh pipeline compile
    /// their hot paths (a few seconds of CPU) and size their buffers then, not inside the timed window. A long-running
    /// connector pays that once; the native path gets the same warm-up.
    /// </summary>
    async Task WarmUpAsync(IReplicationPath path, NpgsqlConnection destination, string table, long rows)
    {
        if (rows == 0) return;
        var clock = Stopwatch.StartNew();
        await using (var source = await Sql.OpenAsync(databases.Source))
        {
            for (var from = -rows; from <= -1; from += settings.TransactionRows)
            {
                await using var insert = new NpgsqlCommand(BenchTable.Insert(table, $"{from}", $"{Math.Min(-1, from + settings.TransactionRows - 1)}"), source) { CommandTimeout = 0 };
                await insert.ExecuteNonQueryAsync();
            }
        }
        await using var count = new NpgsqlCommand($"SELECT count(*) FROM {table} WHERE id < 0", destination);
        await Poll.UntilAsync(async () => (long)(await count.ExecuteScalarAsync())! == rows, Deadline(rows), $"{path.Name}: the {rows:N0} warm-up rows of {table} at the destination",
            TimeSpan.FromMilliseconds(50), path.ThrowIfFailed);
        Console.WriteLine($"{path.Name}: {rows:N0} warm-up inserts replicated in {clock.Elapsed.TotalSeconds:0.0} s (not timed)");
    }

    /// <summary>Generous: 5 minutes, and a second more per 1,000 changes.</summary>
    public static TimeSpan Deadline(long changes) => TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(changes / 1000.0);
}
