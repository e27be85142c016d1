using KafkaCdc.Bench.Common;

namespace KafkaCdc.Bench.Pipeline;

/// <summary>The benchmark's command line.</summary>
/// <param name="Changes">Changes of the large-transaction and update workloads (<c>--changes</c>).</param>
/// <param name="SingleChanges">Single-row transactions of the single-row workload (<c>--single-changes</c>).</param>
/// <param name="TransactionRows">Rows per transaction of the large-transaction and update workloads (<c>--transaction-rows</c>).</param>
/// <param name="Rows">Rows of the initial load's table (<c>--rows</c>).</param>
/// <param name="Partitions">Partitions of each change topic (<c>--partitions</c>).</param>
/// <param name="Tasks">The sink's <c>tasks.max</c> values of the throughput runs (<c>--tasks</c>).</param>
/// <param name="Rates">Offered changes/s of the latency runs (<c>--rates</c>).</param>
/// <param name="LatencySeconds">Measured seconds of each latency run, after its warm-up (<c>--latency-seconds</c>).</param>
/// <param name="WarmupSeconds">Seconds a latency run writes before the rows it counts (<c>--warmup-seconds</c>).</param>
/// <param name="WarmupChanges">Inserts each throughput run replicates before it is timed (<c>--warmup-changes</c>).</param>
/// <param name="SinkMode">The sink's <c>insert.mode</c> (<c>--sink-mode</c>).</param>
/// <param name="SynchronousCommit"><c>synchronous_commit</c> of the source database (<c>--synchronous-commit</c>).</param>
/// <param name="Only">The runs to make (<c>--only</c>); all when empty.</param>
/// <param name="LogLevel">The connectors' <c>log.level</c> (<c>--log-level</c>).</param>
/// <param name="SourceKeys">Configuration keys added to every source's (<c>--source KEY=VALUE</c>, repeatable).</param>
/// <param name="SinkKeys">Configuration keys added to every sink's (<c>--sink KEY=VALUE</c>, repeatable).</param>
internal sealed record PipelineSettings(
    long Changes, long SingleChanges, int TransactionRows, long Rows, int Partitions, int[] Tasks, int[] Rates, int LatencySeconds, int WarmupSeconds, long WarmupChanges,
    string SinkMode, string SynchronousCommit, string[] Only, string LogLevel, IReadOnlyDictionary<string, string> SourceKeys, IReadOnlyDictionary<string, string> SinkKeys)
{
    /// <summary>Every run, in the order they are made.</summary>
    public static readonly string[] AllRuns = ["large", "single", "updates", "latency", "load"];

    public const string Usage = """
        dotnet run -c Release --project bench/PipelineBench [-- options]
          --changes N             changes of the large-transaction and update workloads (default 500000)
          --single-changes N      single-row transactions of the single-row workload (default 20000)
          --transaction-rows N    rows per transaction of the large-transaction and update workloads (default 10000)
          --rows N                rows of the initial load's table (default 5000000)
          --partitions N          partitions of each change topic (default 30)
          --tasks 1,2             the sink's tasks.max in the throughput runs (default 1,2)
          --rates 2000,5000       offered changes/s of the latency runs (default 2000,5000)
          --latency-seconds N     measured seconds of each latency run (default 20)
          --warmup-seconds N      seconds written before the measured rows of a latency run (default 3)
          --warmup-changes N      inserts each throughput run replicates before it is timed, so that fresh processes have
                                  compiled their hot paths (default 100000; 0: none, the processes' start measured too)
          --sink-mode MODE        the sink's insert.mode: upsert (default) or insert
          --synchronous-commit on|off  synchronous_commit of the source database (default on)
          --only a,b              runs to make, of: large, single, updates, latency, load (default all)
          --log-level LEVEL       the connectors' log.level (default warning); their output goes to stderr
          --source KEY=VALUE      a configuration key for every source (repeatable), e.g. kafka.linger.ms=5
          --sink KEY=VALUE        a configuration key for every sink (repeatable), e.g. kafka.fetch.wait.max.ms=50
        A quick run (a few minutes): --changes 50000 --single-changes 5000 --rows 200000 --latency-seconds 8
        """;

    /// <summary>Whether the run <paramref name="name"/> is to be made.</summary>
    public bool Runs(string name) => Only.Length == 0 || Only.Contains(name);

    /// <summary>Reads the command line; throws <see cref="ArgumentException"/> naming the option at fault.</summary>
    public static PipelineSettings Parse(string[] args)
    {
        var options = BenchOptions.Parse(args, ["--changes", "--single-changes", "--transaction-rows", "--rows", "--partitions", "--tasks", "--rates",
            "--latency-seconds", "--warmup-seconds", "--warmup-changes", "--sink-mode", "--synchronous-commit", "--only", "--log-level"], ["--source", "--sink"], Usage);
        return new PipelineSettings(options.Number("--changes", 500_000, 1), options.Number("--single-changes", 20_000, 1),
            (int)options.Number("--transaction-rows", 10_000, 1), options.Number("--rows", 5_000_000, 1), (int)options.Number("--partitions", 30, 1),
            options.Numbers("--tasks", "1,2", 1, 64), options.Numbers("--rates", "2000,5000", 1, 1_000_000), (int)options.Number("--latency-seconds", 20, 1),
            (int)options.Number("--warmup-seconds", 3, 0), options.Number("--warmup-changes", 100_000, 0), options.Choice("--sink-mode", "upsert", "upsert", "insert")!,
            options.Choice("--synchronous-commit", "on", "on", "off")!, options.Names("--only", AllRuns), options.Text("--log-level") ?? "warning",
            options.Pairs("--source"), options.Pairs("--sink"));
    }
}
