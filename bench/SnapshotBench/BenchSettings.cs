using KafkaCdc.Bench.Common;

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
        var options = BenchOptions.Parse(args, ["--rows", "--threads", "--only", "--fetch-size", "--chunk-size", "--sink-mode", "--sink-tasks", "--workload-rate",
            "--partitions", "--log-level", "--synchronous-commit"], [], Usage);
        int? Optional(string option) => options.Text(option) is null ? null : (int)options.Number(option, 0, 1);
        return new BenchSettings(options.Number("--rows", 5_000_000, 1), options.Numbers("--threads", "1,2", 1, 64), options.Names("--only", AllRuns),
            Optional("--fetch-size"), Optional("--chunk-size"), options.Choice("--sink-mode", "insert", "insert", "upsert")!,
            (int)options.Number("--sink-tasks", 2, 1), (int)options.Number("--workload-rate", 1000, 0), (int)options.Number("--partitions", 12, 1),
            options.Text("--log-level") ?? "warning", options.Choice("--synchronous-commit", null, "on", "off"));
    }
}
