using KafkaCdc.Bench.Common;
using KafkaCdc.Bench.Snapshot;

// The source connector's snapshots (issue 11, "Performance"): an initial snapshot of a 10-column table into Kafka with
// 1 and 2 threads, the same end to end into a destination database through the sink, the COPY pipe between the two
// databases as the baseline, incremental snapshots (signal) with and without a concurrent workload, the WAL the slot
// retains at the end of each method, and the connectors' peak RSS; each beside its target. The connectors run as child
// processes; a throwaway PostgreSQL, librdkafka's mock cluster (1 broker) and the dev registry run in this process.
//   dotnet run -c Release --project bench/SnapshotBench [-- --rows 5000000 --threads 1,2 --only copy,initial,e2e,...]
BenchSettings settings;
try
{
    settings = BenchSettings.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

Console.WriteLine($"SnapshotBench: {settings.Rows:N0} rows, synchronous_commit {settings.SynchronousCommit ?? "off (the throwaway server's)"} on the source database, " +
                  $".NET {Environment.Version}, {Environment.ProcessorCount} cores; " +
                  "starting PostgreSQL, Kafka (mock, 1 broker) and the registry");
await using var stack = await BenchStack.StartAsync();
var databases = new BenchDatabases(stack.Postgres.ConnectionString);
var loading = System.Diagnostics.Stopwatch.StartNew();
await databases.CreateAsync(settings.Rows, settings.SynchronousCommit);
Console.WriteLine($"loaded {settings.Rows:N0} rows into {BenchDatabases.SourceDatabase}.public.{BenchDatabases.Table} in {loading.Elapsed.TotalSeconds:0.0} s");
var postmaster = stack.PostmasterPid;
var configs = new SnapshotConfigs(new ConnectorConfigs(stack.Postgres.ConnectionString, stack.Kafka.BootstrapServers, stack.RegistryUrl, settings.LogLevel), settings);
var runs = new SnapshotRuns(settings, databases, configs, stack.Kafka, postmaster);

var results = new List<RunResult>();
async Task Measure(string run, string conditions, Target target, Func<Task<RunResult>> measure)
{
    Console.WriteLine($"{run}: {conditions}...");
    try
    {
        results.Add(await measure());
    }
    catch (Exception e)
    {
        // One failed run does not hide the others' numbers: it is reported in the table and the exit code.
        Console.Error.WriteLine($"{run} failed: {e}");
        results.Add(RunResult.Failed(run, conditions, settings.Rows, target, e.Message.Split('\n')[0]));
    }
}

if (settings.Runs("copy"))
{
    await Measure("copy", "COPY (SELECT * FROM bench) TO STDOUT (FORMAT binary) piped into COPY bench_copy FROM STDIN (FORMAT binary)", Target.None, async () =>
    {
        var (postgresCpu, benchCpu) = (ProcessStats.PostgresCpuSeconds(postmaster), ProcessStats.CpuSeconds(Environment.ProcessId));
        var elapsed = await databases.CopyPipeAsync(settings.Rows);
        Console.WriteLine($"copy: {settings.Rows:N0} rows in {elapsed.TotalSeconds:0.0} s");
        return new RunResult("copy", "COPY … TO STDOUT (FORMAT binary) piped into COPY … FROM STDIN (FORMAT binary), source db → destination db", settings.Rows, elapsed, Target.None)
        {
            Usage = new ProcessUsage
            {
                PostgresCpuSeconds = ProcessStats.PostgresCpuSeconds(postmaster) - postgresCpu,
                BenchCpuSeconds = ProcessStats.CpuSeconds(Environment.ProcessId) - benchCpu,
            },
        };
    });
}
if (settings.Runs("initial"))
{
    foreach (var threads in settings.Threads)
        await Measure($"initial-t{threads}", $"initial snapshot into Kafka, {threads} thread(s)", Target.IntoKafka, () => runs.InitialIntoKafkaAsync(threads, workload: false));
}
if (settings.Runs("e2e"))
    await Measure("e2e", "initial snapshot end to end into the destination", Target.HalfCopyPipe, runs.EndToEndAsync);
if (settings.Runs("initial-workload"))
    await Measure("initial-workload", "initial snapshot into Kafka under a concurrent workload", Target.IntoKafka, () => runs.InitialIntoKafkaAsync(null, workload: true));
if (settings.Runs("incremental"))
    await Measure("incremental", "incremental snapshot", Target.HalfInitial, () => runs.IncrementalAsync(workload: false));
if (settings.Runs("incremental-workload"))
    await Measure("incremental-workload", "incremental snapshot under a concurrent workload", Target.HalfInitial, () => runs.IncrementalAsync(workload: true));

Console.WriteLine();
ResultTable.Print(results, Console.Out);
Console.WriteLine();
Console.WriteLine($"Kafka-only topics have {settings.Partitions} partitions (the mock keeps ~5 MiB per partition and drops older records: counted by the " +
                  "high watermarks); the e2e topic has enough partitions to keep every record. Slot WAL is sampled when /status first shows the snapshot done.");
return results.Any(r => r.Failure is not null) ? 1 : 0;
