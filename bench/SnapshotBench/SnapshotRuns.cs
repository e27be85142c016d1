using System.Diagnostics;
using System.Text.Json;
using KafkaCdc.Bench.Common;
using KafkaCdc.DevStack.Kafka;

namespace KafkaCdc.Bench.Snapshot;

/// <summary>
/// The runs that start connectors. Each uses a slot, topic, connector name (so offsets) and consumer group of its own,
/// and drops its slot at the end; the clock starts when the source process is started.
/// </summary>
internal sealed class SnapshotRuns(BenchSettings settings, BenchDatabases databases, SnapshotConfigs configs, MockKafkaCluster kafka, int postmasterPid)
{
    /// <summary>The mock cluster keeps about 5 MiB per partition (the oldest is dropped); a change record here is about 300 bytes.</summary>
    const double BytesPerRecord = 400;

    long Rows => settings.Rows;

    /// <summary>Time allowed for any snapshot to finish: generous, at 10,000 rows/s with 5 minutes more.</summary>
    TimeSpan SnapshotDeadline => TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(Rows / 10_000.0);

    /// <summary>
    /// An initial (exported) snapshot into Kafka: from the source's start until its <c>/status</c> says the snapshot is
    /// done (every record acknowledged, the completion stored with the offsets), then checked against the topic's
    /// watermarks. With <paramref name="workload"/> the table is updated throughout.
    /// </summary>
    public async Task<RunResult> InitialIntoKafkaAsync(int? threads, bool workload)
    {
        var run = workload ? "initial-workload" : $"initial-t{threads}";
        var conditions = $"initial snapshot into Kafka, snapshot.max.threads {threads?.ToString() ?? "2 (default)"}" +
                         (workload ? $", {settings.WorkloadRate:N0} single-row updates/s meanwhile" : "");
        var (slot, topicPrefix) = Names(run);
        var topic = SnapshotConfigs.TopicOf(topicPrefix);
        kafka.CreateTopic(topic, settings.Partitions, 1);
        await using var probe = await Sql.OpenAsync(databases.Source);
        var otherCpu = OtherCpuSeconds();
        var clock = Stopwatch.StartNew();
        using var source = ConnectorProcess.StartSource("source " + run, configs.Source("snapbench-" + run, slot, topicPrefix, "initial", threads));
        await using var updates = workload ? ConcurrentWorkload.Start(databases.Source, Rows, settings.WorkloadRate) : null;
        try
        {
            var running = await WaitForSnapshotAsync(source, "initial", clock);
            var elapsed = clock.Elapsed;
            var wal = await databases.SlotWalAsync(probe, slot);
            var result = Measured(run, conditions, elapsed, Target.IntoKafka, wal, source, null, otherCpu);
            var made = updates is null ? "" : $", {await Describe(updates)}";

            using var status = await source.StatusAsync();
            var snapshotRows = SnapshotRows(status!.RootElement);
            var (written, dropped) = KafkaTopics.Watermarks(kafka.BootstrapServers, topic, settings.Partitions);
            if (snapshotRows != Rows || (workload ? written < Rows : written != Rows))
                throw new InvalidOperationException($"{run}: the snapshot reports {snapshotRows:N0} rows and {topic} holds {written:N0} records; the table has {Rows:N0}");
            Console.WriteLine($"{run}: {Rows:N0} rows acknowledged in {elapsed.TotalSeconds:0.0} s ({result.RowsPerSecond:N0} rows/s), " +
                              $"{Rows / (elapsed - running!.Value).TotalSeconds:N0} rows/s from when /status first showed the snapshot ({running.Value.TotalSeconds:0.0} s){made}; " +
                              $"{topic}: {written:N0} records written ({dropped:N0} of them dropped by the mock's retention)");
            return result;
        }
        finally
        {
            source.Dispose();
            await databases.DropSlotAsync(slot);
        }
    }

    /// <summary>
    /// The initial snapshot end to end: the sink (already assigned its partitions) writes the topic into the
    /// destination's <c>public.bench</c>; from the source's start until the sink's offsets table has every record.
    /// The topic has enough partitions for the mock cluster to keep every record until the sink reads it.
    /// </summary>
    public async Task<RunResult> EndToEndAsync()
    {
        const string run = "e2e";
        var conditions = $"initial snapshot → Kafka → sink → PostgreSQL; snapshot.max.threads 2 (default); sink insert.mode {settings.SinkMode}, 1 process, tasks.max {settings.SinkTasks}";
        var (slot, topicPrefix) = Names(run);
        var topic = SnapshotConfigs.TopicOf(topicPrefix);
        var partitions = Math.Max(settings.Partitions, (int)Math.Ceiling(Rows * BytesPerRecord / (4 << 20)));
        kafka.CreateTopic(topic, partitions, 1);
        var group = $"snapbench-sink-{Guid.NewGuid():N}";
        using var sink = ConnectorProcess.StartSink("sink", configs.Sink("snapbench-sink", topic, group));
        // The sink runs before the source starts, as it would in production: its group is formed first.
        await sink.WaitForAssignmentAsync(topic, settings.SinkTasks, partitions);

        await using var destination = await Sql.OpenAsync(databases.Destination);
        var otherCpu = OtherCpuSeconds();
        var clock = Stopwatch.StartNew();
        using var source = ConnectorProcess.StartSource("source e2e", configs.Source("snapbench-" + run, slot, topicPrefix, "initial", null));
        try
        {
            TimeSpan? intoKafka = null;
            await Poll.UntilAsync(async () =>
            {
                if (intoKafka is null && await SnapshotStateAsync(source) == "done") intoKafka = clock.Elapsed;
                return await SinkOffsets.AppliedAsync(destination, group) >= Rows;
            }, SnapshotDeadline, $"the sink's offsets table to reach {Rows:N0} records", TimeSpan.FromMilliseconds(100), () =>
            {
                source.ThrowIfExited();
                sink.ThrowIfExited();
            });
            var elapsed = clock.Elapsed;
            var result = Measured(run, conditions, elapsed, Target.HalfCopyPipe, null, source, sink, otherCpu);
            var copied = await Sql.CountAsync(databases.Destination, BenchDatabases.Table);
            if (copied != Rows) throw new InvalidOperationException($"e2e: the destination's {BenchDatabases.Table} has {copied:N0} rows, not {Rows:N0}");
            Console.WriteLine($"e2e: {Rows:N0} rows in the destination after {elapsed.TotalSeconds:0.0} s ({result.RowsPerSecond:N0} rows/s); " +
                              $"the source's snapshot was acknowledged by Kafka after {intoKafka?.TotalSeconds.ToString("0.0") ?? "?"} s; {topic} has {partitions} partitions");
            return result;
        }
        finally
        {
            source.Dispose();
            await databases.DropSlotAsync(slot);
        }
    }

    /// <summary>
    /// An incremental snapshot requested by a signal row while the source streams (<c>snapshot.mode=no_data</c>): from
    /// the signal's insert until the snapshot is done and every record is acknowledged. With <paramref name="workload"/>
    /// the table is updated from before the signal until the snapshot is done.
    /// </summary>
    public async Task<RunResult> IncrementalAsync(bool workload)
    {
        var run = workload ? "incremental-workload" : "incremental";
        var conditions = $"incremental snapshot (signal) while streaming, chunk size {settings.ChunkSize?.ToString() ?? "10000 (default)"}" +
                         (workload ? $", {settings.WorkloadRate:N0} single-row updates/s meanwhile" : "");
        var (slot, topicPrefix) = Names(run);
        kafka.CreateTopic(SnapshotConfigs.TopicOf(topicPrefix), settings.Partitions, 1);
        await using var probe = await Sql.OpenAsync(databases.Source);
        using var source = ConnectorProcess.StartSource("source " + run, configs.Source("snapbench-" + run, slot, topicPrefix, "no_data", null));
        try
        {
            await source.WaitForStatusAsync(s => s.GetProperty("state").GetString() == "streaming", TimeSpan.FromSeconds(60), "streaming");
            await using var updates = workload ? ConcurrentWorkload.Start(databases.Source, Rows, settings.WorkloadRate) : null;
            var otherCpu = OtherCpuSeconds();
            var clock = Stopwatch.StartNew();
            await databases.SignalIncrementalSnapshotAsync($"snapbench-{run}");
            try
            {
                await source.WaitForStatusAsync(s => SnapshotKind(s) == "incremental", TimeSpan.FromSeconds(60), "the execute-snapshot signal to start an incremental snapshot");
            }
            catch (TimeoutException)
            {
                using var status = await source.StatusAsync();
                throw new InvalidOperationException("the execute-snapshot signal was not acted on within 60 s (snapshot.state stayed " +
                    $"'{status?.RootElement.GetProperty("snapshot").GetProperty("state")}', signal_problems {status?.RootElement.GetProperty("signal_problems")}): " +
                    "is the incremental snapshot wired into this build of the connector?");
            }
            await WaitForSnapshotAsync(source, "incremental", clock);
            var wal = await databases.SlotWalAsync(probe, slot);
            var made = updates is null ? "" : $", {await Describe(updates)}";
            await source.WaitForStatusAsync(s => s.GetProperty("records_in_flight").GetInt64() == 0, TimeSpan.FromSeconds(60), "every record acknowledged");
            var elapsed = clock.Elapsed;
            using var done = await source.StatusAsync();
            var snapshotRows = SnapshotRows(done!.RootElement);
            var (written, _) = KafkaTopics.Watermarks(kafka.BootstrapServers, SnapshotConfigs.TopicOf(topicPrefix), settings.Partitions);
            // Without a workload every row is one read event; with one, a row changed while its chunk was open is left to the stream.
            if (!workload && (snapshotRows != Rows || written != Rows))
                throw new InvalidOperationException($"{run}: the snapshot reports {snapshotRows:N0} rows and its topic holds {written:N0} records; the table has {Rows:N0}");
            var result = Measured(run, conditions, elapsed, Target.HalfInitial, wal, source, null, otherCpu);
            Console.WriteLine($"{run}: {Rows:N0} rows snapshotted and acknowledged in {elapsed.TotalSeconds:0.0} s ({result.RowsPerSecond:N0} rows/s), " +
                              $"{snapshotRows:N0} read events and {written:N0} records in all written{made}");
            return result;
        }
        finally
        {
            source.Dispose();
            await databases.DropSlotAsync(slot);
        }
    }

    /// <summary>
    /// Waits until the snapshot of <paramref name="kind"/> is done, failing at once when it failed or stopped; returns
    /// when <c>/status</c> first showed it running, on <paramref name="clock"/> (the start-up before it is not snapshotting).
    /// </summary>
    async Task<TimeSpan?> WaitForSnapshotAsync(ConnectorProcess source, string kind, Stopwatch clock)
    {
        TimeSpan? running = null;
        await source.WaitForStatusAsync(s =>
        {
            var snapshot = s.GetProperty("snapshot");
            var state = snapshot.GetProperty("state").GetString();
            if (state is "failed" or "stopped")
                throw new InvalidOperationException($"the {kind} snapshot {state}: {snapshot.GetProperty("detail")}; connector error: {s.GetProperty("error")}\n{source.Output()}");
            if (SnapshotKind(s) != kind) return false;
            running ??= clock.Elapsed;
            return state == "done";
        }, SnapshotDeadline, $"the {kind} snapshot to be done", TimeSpan.FromMilliseconds(100));
        return running;
    }

    static string? SnapshotKind(JsonElement status) => status.GetProperty("snapshot").GetProperty("kind").GetString();

    static async Task<string?> SnapshotStateAsync(ConnectorProcess source)
    {
        using var status = await source.StatusAsync();
        return status?.RootElement.GetProperty("snapshot").GetProperty("state").GetString();
    }

    /// <summary>The read events the snapshot wrote for <c>public.bench</c>, from <c>/status</c>.</summary>
    static long SnapshotRows(JsonElement status) =>
        status.GetProperty("snapshot").GetProperty("tables").TryGetProperty($"public.{BenchDatabases.Table}", out var table) ? table.GetProperty("rows").GetInt64() : 0;

    /// <summary>CPU seconds so far of the PostgreSQL server and of this process (mock Kafka, registry, workload).</summary>
    (double Postgres, double Bench, ThreadCpuSampler BenchThreads) OtherCpuSeconds() =>
        (ProcessStats.PostgresCpuSeconds(postmasterPid), ProcessStats.CpuSeconds(Environment.ProcessId), new ThreadCpuSampler(Environment.ProcessId));

    /// <summary>The result of a run that ended after <paramref name="elapsed"/>: the connectors' RSS and CPU, and the CPU of the rest since <paramref name="otherCpu"/>.</summary>
    RunResult Measured(string run, string conditions, TimeSpan elapsed, Target target, (long, long)? wal, ConnectorProcess source, ConnectorProcess? sink,
        (double Postgres, double Bench, ThreadCpuSampler BenchThreads) otherCpu)
    {
        var (postgres, bench) = (ProcessStats.PostgresCpuSeconds(postmasterPid), ProcessStats.CpuSeconds(Environment.ProcessId));
        Console.WriteLine($"{run}: this process's CPU by thread: {otherCpu.BenchThreads.Summary()}");
        otherCpu.BenchThreads.Dispose();
        Console.WriteLine($"{run}: source CPU by thread: {source.Threads.Summary()}");
        if (sink is not null) Console.WriteLine($"{run}: sink CPU by thread: {sink.Threads.Summary()}");
        return new(run, conditions, Rows, elapsed, target)
        {
            SlotWal = wal,
            Usage = new ProcessUsage
            {
                SourceRssMb = ProcessStats.PeakRssMegabytes(source.Id),
                SourceCpuSeconds = ProcessStats.CpuSeconds(source.Id),
                SinkRssMb = sink is null ? null : ProcessStats.PeakRssMegabytes(sink.Id),
                SinkCpuSeconds = sink is null ? null : ProcessStats.CpuSeconds(sink.Id),
                PostgresCpuSeconds = postgres - otherCpu.Postgres,
                BenchCpuSeconds = bench - otherCpu.Bench,
            },
        };
    }

    static async Task<string> Describe(ConcurrentWorkload workload)
    {
        var (count, perSecond) = await workload.StopAsync();
        return $"{count:N0} updates meanwhile ({perSecond:N0}/s)";
    }

    /// <summary>The slot name and topic prefix of a run.</summary>
    static (string Slot, string TopicPrefix) Names(string run) => ("snapbench_" + run.Replace('-', '_'), "snap_" + run.Replace('-', '_'));
}
