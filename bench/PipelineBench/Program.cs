using KafkaCdc.Bench.Common;
using KafkaCdc.Bench.Pipeline;

// The pipeline against what a user would pick instead (issue 14, "Pipeline benchmark"): the same workloads through
// source process → Kafka → sink process → destination database, and through PostgreSQL's own logical replication
// (a publication on the source database, a subscription in another database of the same server), one table of results.
// A throwaway PostgreSQL (fsync off), librdkafka's mock cluster (1 broker) and the dev registry run in this process; the
// connectors run as child processes from this program's output directory, each started afresh for its run.
//   dotnet run -c Release --project bench/PipelineBench [-- --changes 500000 --rows 5000000 ... (--help)]
//
// How it measures:
// - Every run writes into a table of its own (the 10-column table of the other benchmarks; autovacuum off on both ends),
//   replicated by a path started for it: the pipeline (its sink's tasks holding every partition of a topic of its own,
//   then its source streaming with snapshot.mode=no_data), or a subscription (copy_data=false; rows that exist before, as
//   the updates', are copied to the destination first). The writer, a thread of this process, commits the workload on one
//   connection; throughput is changes / (final state seen − first commit). Before that clock starts, --warmup-changes
//   inserts (keys below the workload's) go through the same path and are waited for, so that the fresh processes have
//   compiled their hot paths; the CPU measured starts after them too.
// - "Final state seen", polled every 20 ms: for the pipeline, the sink's offsets table counts every record (the sink writes
//   it in the transaction that writes the rows); for native replication, a row the last transaction wrote shows its final
//   content (the apply worker applies whole transactions in commit order). After each run the destination table must
//   equal the source's (rows and an md5 over every row's text in key order) and the pipeline's topic must hold exactly one
//   record per change; a run that fails any of it is reported as failed in the table, not with a number.
// - Latency: the writer offers a fixed rate (a transaction every 10 ms with the rows the rate calls for), each row's
//   `created` being its own clock_timestamp() (less than a millisecond before its commit). At the destination a deferred
//   constraint trigger (ENABLE ALWAYS, so that the apply worker fires it too) records clock_timestamp() for every row as
//   the transaction that wrote it commits: after the sink's whole batch, or the apply worker's whole transaction, so the
//   time the row became visible within the commit's own duration. Both clocks are this machine's. p50/p99/max of arrival
//   − created over the rows after the warm-up (the first seconds, while fresh processes compile their hot paths).
// - Initial load: the COPY pipe (COPY … TO STDOUT into COPY … FROM STDIN, binary) against the pipeline's initial snapshot
//   from the source's start until the sink's offsets count every row (SnapshotBench's "e2e").
// - CPU: /proc times of the source, the sink, the whole PostgreSQL server and this process while the workload ran (the
//   connectors' start-up excluded), per 100k changes; peak RSS is each connector's VmHWM.
// The source database runs with synchronous_commit=on (--synchronous-commit): with off, as the throwaway server is set, a
// commit reaches any walsender only when the WAL writer flushes it, which adds up to 200 ms to both paths' latency.
PipelineSettings settings;
try
{
    settings = PipelineSettings.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

Console.WriteLine($"PipelineBench: {settings.Changes:N0} changes (single-row: {settings.SingleChanges:N0}), {settings.Rows:N0}-row initial load, " +
                  $"{settings.Partitions} partitions, sink insert.mode {settings.SinkMode}, synchronous_commit {settings.SynchronousCommit} on the source database" +
                  string.Concat(settings.SourceKeys.Select(k => $", source {k.Key}={k.Value}")) + string.Concat(settings.SinkKeys.Select(k => $", sink {k.Key}={k.Value}")) + "; " +
                  $".NET {Environment.Version}, {Environment.ProcessorCount} cores; starting PostgreSQL, Kafka (mock, 1 broker) and the registry");
await using var stack = await BenchStack.StartAsync();
var databases = new BenchDatabases(stack);
await databases.CreateAsync(settings.SynchronousCommit);
var configs = new ConnectorConfigs(stack.Postgres.ConnectionString, stack.Kafka.BootstrapServers, stack.RegistryUrl, settings.LogLevel);
var replication = new ReplicationRuns(settings, stack, databases, configs);

var results = new List<PipelineResult>();
async Task Measure(PipelineResult run, Func<Task<PipelineResult>> measure)
{
    Console.WriteLine($"{run.Workload} / {run.Path}: {run.Description}...");
    try
    {
        results.Add(await measure());
    }
    catch (Exception e)
    {
        // One failed run does not hide the others' numbers: it is reported in the table and the exit code.
        Console.Error.WriteLine($"{run.Workload} / {run.Path} failed: {e}");
        results.Add(run with { Failure = e.Message.Split('\n')[0] });
    }
}

async Task Compare(Workload workload, IEnumerable<int> tasks, bool latency)
{
    await Measure(new PipelineResult(workload.Name, workload.Description, "native logical replication", workload.Changes, Baseline: true),
        () => replication.RunAsync(workload, null, latency));
    foreach (var t in tasks)
    {
        await Measure(new PipelineResult(workload.Name, workload.Description, $"pipeline, {t} sink task{(t == 1 ? "" : "s")}", workload.Changes, Baseline: false),
            () => replication.RunAsync(workload, t, latency));
    }
}

if (settings.Runs("large")) await Compare(Workload.LargeTransactions(settings.Changes, settings.TransactionRows), settings.Tasks, latency: false);
if (settings.Runs("single")) await Compare(Workload.SingleRow(settings.SingleChanges), settings.Tasks, latency: false);
if (settings.Runs("updates")) await Compare(Workload.Updates(settings.Changes, settings.TransactionRows), settings.Tasks, latency: false);
if (settings.Runs("latency"))
{
    foreach (var rate in settings.Rates)
        await Compare(Workload.Paced(rate, TimeSpan.FromSeconds(settings.WarmupSeconds), TimeSpan.FromSeconds(settings.LatencySeconds)), [settings.Tasks.Min()], latency: true);
}
if (settings.Runs("load"))
{
    var load = new InitialLoadRuns(settings, stack, databases, configs);
    var loading = System.Diagnostics.Stopwatch.StartNew();
    await load.PrepareAsync();
    Console.WriteLine($"load: {settings.Rows:N0} rows written and vacuumed in {loading.Elapsed.TotalSeconds:0.0} s");
    await Measure(new PipelineResult("load", $"{settings.Rows:N0}-row table", "COPY pipe", settings.Rows, Baseline: true), load.CopyAsync);
    await Measure(new PipelineResult("load", $"{settings.Rows:N0}-row table", "pipeline, initial snapshot", settings.Rows, Baseline: false), load.PipelineAsync);
}

Console.WriteLine();
ResultTable.Print(results, Console.Out);
Console.WriteLine();
Console.WriteLine($"Change topics have {settings.Partitions} partitions (the mock keeps ~5 MiB per partition and drops older records: a run it hurts fails its checks); " +
                  $"the initial load's topic has enough to keep every record. Targets (issue 14): throughput ≥ 1.0× native, p99 < 1 s at 5k changes/s, " +
                  "initial load ≥ 0.5× the COPY pipe, < 300 MB RSS each.");
return results.Any(r => r.Failure is not null) ? 1 : 0;
