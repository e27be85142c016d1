using System.Globalization;

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
/// <param name="SinkMode">The sink's <c>insert.mode</c> (<c>--sink-mode</c>).</param>
/// <param name="SynchronousCommit"><c>synchronous_commit</c> of the source database (<c>--synchronous-commit</c>).</param>
/// <param name="Only">The runs to make (<c>--only</c>); all when empty.</param>
/// <param name="LogLevel">The connectors' <c>log.level</c> (<c>--log-level</c>).</param>
/// <param name="SourceKeys">Configuration keys added to every source's (<c>--source KEY=VALUE</c>, repeatable).</param>
/// <param name="SinkKeys">Configuration keys added to every sink's (<c>--sink KEY=VALUE</c>, repeatable).</param>
internal sealed record PipelineSettings(
    long Changes, long SingleChanges, int TransactionRows, long Rows, int Partitions, int[] Tasks, int[] Rates, int LatencySeconds, int WarmupSeconds,
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
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var keys = new Dictionary<string, Dictionary<string, string>> { ["--source"] = [], ["--sink"] = [] };
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
                throw new ArgumentException($"'{args[i]}' is not an option with a value\n{Usage}");
            if (keys.TryGetValue(args[i], out var connectorKeys))
            {
                var pair = args[++i].Split('=', 2);
                if (pair.Length != 2 || pair[0].Length == 0) throw new ArgumentException($"{args[i - 1]} '{args[i]}' is not KEY=VALUE");
                connectorKeys[pair[0]] = pair[1];
            }
            else values[args[i]] = args[++i];
        }
        string[] known = ["--changes", "--single-changes", "--transaction-rows", "--rows", "--partitions", "--tasks", "--rates", "--latency-seconds", "--warmup-seconds",
            "--sink-mode", "--synchronous-commit", "--only", "--log-level"];
        if (values.Keys.FirstOrDefault(k => !known.Contains(k)) is { } unknown) throw new ArgumentException($"unknown option {unknown}\n{Usage}");

        long Number(string option, long defaultValue, long min)
        {
            if (!values.TryGetValue(option, out var text)) return defaultValue;
            if (!long.TryParse(text.Replace("_", "", StringComparison.Ordinal), NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < min)
                throw new ArgumentException($"{option} '{text}' is not a whole number of at least {min}");
            return value;
        }

        int[] Numbers(string option, string defaultValue, int max) =>
            (values.GetValueOrDefault(option) ?? defaultValue).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(t => int.TryParse(t, CultureInfo.InvariantCulture, out var n) && n >= 1 && n <= max ? n : throw new ArgumentException($"{option} '{t}' is not 1 to {max}"))
            .ToArray();

        var only = values.TryGetValue("--only", out var list) ? list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : [];
        if (only.FirstOrDefault(o => !AllRuns.Contains(o)) is { } badRun)
            throw new ArgumentException($"--only: unknown run '{badRun}'; the runs are {string.Join(", ", AllRuns)}");
        var sinkMode = values.GetValueOrDefault("--sink-mode") ?? "upsert";
        if (sinkMode is not ("insert" or "upsert")) throw new ArgumentException($"--sink-mode '{sinkMode}' is neither insert nor upsert");
        var synchronousCommit = values.GetValueOrDefault("--synchronous-commit") ?? "on";
        if (synchronousCommit is not ("on" or "off")) throw new ArgumentException($"--synchronous-commit '{synchronousCommit}' is neither on nor off");

        return new PipelineSettings(Number("--changes", 500_000, 1), Number("--single-changes", 20_000, 1), (int)Number("--transaction-rows", 10_000, 1),
            Number("--rows", 5_000_000, 1), (int)Number("--partitions", 30, 1), Numbers("--tasks", "1,2", 64), Numbers("--rates", "2000,5000", 1_000_000),
            (int)Number("--latency-seconds", 20, 1), (int)Number("--warmup-seconds", 3, 0), sinkMode, synchronousCommit, only,
            values.GetValueOrDefault("--log-level") ?? "warning", keys["--source"], keys["--sink"]);
    }
}
