using System.Globalization;

namespace KafkaCdc.Bench.Snapshot;

/// <summary>The benchmark's command line.</summary>
/// <param name="Rows">Rows of the snapshotted table (<c>--rows</c>).</param>
/// <param name="Threads">The <c>snapshot.max.threads</c> values of the initial snapshot runs into Kafka (<c>--threads 1,2</c>).</param>
/// <param name="Only">The runs to make (<c>--only</c>); all when empty.</param>
/// <param name="FetchSize"><c>snapshot.fetch.size</c> for the source, or null for its default (<c>--fetch-size</c>).</param>
/// <param name="ChunkSize"><c>incremental.snapshot.chunk.size</c>, or null for its default (<c>--chunk-size</c>).</param>
/// <param name="SinkMode">The sink's <c>insert.mode</c> in the end-to-end run (<c>--sink-mode insert|upsert</c>).</param>
/// <param name="SinkTasks">The sink's <c>tasks.max</c> (<c>--sink-tasks</c>).</param>
/// <param name="WorkloadRate">Single-row updates per second of the concurrent workload (<c>--workload-rate</c>).</param>
/// <param name="Partitions">Partitions of the Kafka-only topics (<c>--partitions</c>).</param>
/// <param name="LogLevel">The connectors' <c>log.level</c> (<c>--log-level</c>; their lines go to stderr).</param>
/// <param name="SynchronousCommit">
/// <c>synchronous_commit</c> for sessions on the source database (<c>--synchronous-commit</c>), or null to keep the
/// throwaway server's <c>off</c>. With <c>off</c> a commit reaches the walsender only when the WAL writer flushes it
/// (every <c>wal_writer_delay</c>, 200 ms), which the incremental snapshot's watermarks wait for once per chunk.
/// </param>
internal sealed record BenchSettings(
    long Rows, int[] Threads, string[] Only, int? FetchSize, int? ChunkSize, string SinkMode, int SinkTasks, int WorkloadRate, int Partitions, string LogLevel,
    string? SynchronousCommit)
{
    /// <summary>Every run, in the order they are made.</summary>
    public static readonly string[] AllRuns = ["copy", "initial", "e2e", "initial-workload", "incremental", "incremental-workload"];

    public const string Usage = """
        dotnet run -c Release --project bench/SnapshotBench [-- options]
          --rows N              rows of the table (default 5000000)
          --threads 1,2         snapshot.max.threads of the initial snapshot runs into Kafka (default 1,2)
          --only a,b            runs to make, of: copy, initial, e2e, initial-workload, incremental, incremental-workload
          --fetch-size N        snapshot.fetch.size (default: the connector's)
          --chunk-size N        incremental.snapshot.chunk.size (default: the connector's)
          --sink-mode MODE      insert.mode of the end-to-end run: insert (default) or upsert
          --sink-tasks N        tasks.max of the end-to-end run's sink (default 2)
          --workload-rate N     single-row updates per second of the concurrent workload (default 1000)
          --partitions N        partitions of the Kafka-only topics (default 12)
          --log-level LEVEL     the connectors' log.level (default warning); their output goes to stderr
          --synchronous-commit on|off  synchronous_commit on the source database (default: the throwaway server's off)
        """;

    /// <summary>Whether the run <paramref name="name"/> is to be made.</summary>
    public bool Runs(string name) => Only.Length == 0 || Only.Contains(name);

    /// <summary>Reads the command line; throws <see cref="ArgumentException"/> naming the option at fault.</summary>
    public static BenchSettings Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
                throw new ArgumentException($"'{args[i]}' is not an option with a value\n{Usage}");
            values[args[i]] = args[++i];
        }
        var known = new[] { "--rows", "--threads", "--only", "--fetch-size", "--chunk-size", "--sink-mode", "--sink-tasks", "--workload-rate", "--partitions", "--log-level", "--synchronous-commit" };
        if (values.Keys.FirstOrDefault(k => !known.Contains(k)) is { } unknown) throw new ArgumentException($"unknown option {unknown}\n{Usage}");

        long Number(string option, long defaultValue, long min)
        {
            if (!values.TryGetValue(option, out var text)) return defaultValue;
            if (!long.TryParse(text.Replace("_", "", StringComparison.Ordinal), NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < min)
                throw new ArgumentException($"{option} '{text}' is not a whole number of at least {min}");
            return value;
        }

        int? Optional(string option) => values.ContainsKey(option) ? (int)Number(option, 0, 1) : null;

        var threads = (values.GetValueOrDefault("--threads") ?? "1,2").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(t => int.TryParse(t, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 64 ? n : throw new ArgumentException($"--threads '{t}' is not 1 to 64"))
            .ToArray();
        var only = values.TryGetValue("--only", out var list) ? list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : [];
        if (only.FirstOrDefault(o => !AllRuns.Contains(o)) is { } badRun)
            throw new ArgumentException($"--only: unknown run '{badRun}'; the runs are {string.Join(", ", AllRuns)}");
        var sinkMode = values.GetValueOrDefault("--sink-mode") ?? "insert";
        if (sinkMode is not ("insert" or "upsert")) throw new ArgumentException($"--sink-mode '{sinkMode}' is neither insert nor upsert");
        var synchronousCommit = values.GetValueOrDefault("--synchronous-commit");
        if (synchronousCommit is not (null or "on" or "off")) throw new ArgumentException($"--synchronous-commit '{synchronousCommit}' is neither on nor off");

        return new BenchSettings(Number("--rows", 5_000_000, 1), threads, only, Optional("--fetch-size"), Optional("--chunk-size"), sinkMode,
            (int)Number("--sink-tasks", 2, 1), (int)Number("--workload-rate", 1000, 0), (int)Number("--partitions", 12, 1),
            values.GetValueOrDefault("--log-level") ?? "warning", synchronousCommit);
    }
}
