using System.Diagnostics;
using KafkaCdc.Bench.Common;

namespace KafkaCdc.Bench.Pipeline;

/// <summary>
/// The initial load of a table of <c>--rows</c> rows: the COPY pipe into <c>pipe_native</c> (the baseline), and the
/// pipeline's initial snapshot through Kafka and the sink into <c>pipe_sink</c>; each checked against the source's content.
/// </summary>
internal sealed class InitialLoadRuns(PipelineSettings settings, BenchStack stack, BenchDatabases databases, ConnectorConfigs configs)
{
    const string Table = "load";

    /// <summary>The mock cluster keeps about 5 MiB per partition (the oldest is dropped); a record of this table is about 300 bytes.</summary>
    const double BytesPerRecord = 400;

    TableContent? _source;

    string Description => $"{settings.Rows:N0}-row table";

    /// <summary>Creates the table with its rows (vacuumed and analysed, as SnapshotBench does), its publication, and the two destination tables.</summary>
    public async Task PrepareAsync()
    {
        var definition = $"CREATE TABLE {Table} {BenchTable.Columns} WITH (autovacuum_enabled = false)";
        await Sql.ExecuteAsync(databases.Source, $"{definition}; {BenchTable.Insert(Table, "1", $"{settings.Rows}")}; CREATE PUBLICATION {BenchDatabases.Publication(Table)} FOR TABLE {Table}");
        await Sql.ExecuteAsync(databases.Source, $"VACUUM (ANALYZE) {Table}");
        await Sql.ExecuteAsync(databases.Native, definition);
        await Sql.ExecuteAsync(databases.Sink, definition);
        _source = await Sql.ContentAsync(databases.Source, Table);
    }

    /// <summary>COPY … TO STDOUT (FORMAT binary) on the source piped into COPY … FROM STDIN (FORMAT binary) on the destination.</summary>
    public async Task<PipelineResult> CopyAsync()
    {
        var postgres = ProcessStats.PostgresCpuSeconds(stack.PostmasterPid);
        var bench = ProcessStats.CpuSeconds(Environment.ProcessId);
        var elapsed = await CopyPipe.RunAsync(databases.Source, Table, databases.Native, Table, settings.Rows);
        var result = new PipelineResult("load", Description, "COPY … TO STDOUT | COPY … FROM STDIN (binary)", settings.Rows, Baseline: true)
        {
            Elapsed = elapsed,
            Usage = new ProcessUsage
            {
                PostgresCpuSeconds = ProcessStats.PostgresCpuSeconds(stack.PostmasterPid) - postgres,
                BenchCpuSeconds = ProcessStats.CpuSeconds(Environment.ProcessId) - bench,
            },
        };
        Console.WriteLine($"load / COPY pipe: {settings.Rows:N0} rows in {elapsed.TotalSeconds:0.00} s ({result.PerSecond:N0}/s)");
        await CheckAsync(databases.Native);
        return result;
    }

    /// <summary>
    /// The initial snapshot end to end: the sink (its tasks holding every partition) first, then the source with
    /// <c>snapshot.mode=initial</c>; from the source's start until the sink's offsets count every row. The topic has
    /// enough partitions for the mock cluster to keep every record until the sink reads it.
    /// </summary>
    public async Task<PipelineResult> PipelineAsync()
    {
        var tasks = settings.Tasks.Max();
        var partitions = Math.Max(settings.Partitions, (int)Math.Ceiling(settings.Rows * BytesPerRecord / (4 << 20)));
        await using var path = new PipelinePath(databases, configs, stack.Kafka, settings, Table, tasks, settings.Rows, "initial") { Partitions = partitions };
        await path.StartSinkAsync();
        await using var probe = await Sql.OpenAsync(databases.Sink);
        var clock = Stopwatch.StartNew();
        path.StartSource();
        // Marked as the source starts: its CPU counts from its start, the snapshot being all it does.
        using var cpu = new CpuMark(stack.PostmasterPid, path);
        await Poll.UntilAsync(() => path.HoldsFinalStateAsync(probe, null), ReplicationRuns.Deadline(settings.Rows),
            $"the sink's offsets to count all {settings.Rows:N0} rows of {Table}", TimeSpan.FromMilliseconds(50), path.ThrowIfFailed);
        var result = cpu.Measured(new PipelineResult("load", Description, $"{path.Name}, snapshot into a {partitions}-partition topic", settings.Rows, Baseline: false)
        {
            Elapsed = clock.Elapsed,
        });
        Console.WriteLine($"load / {path.Name}: {settings.Rows:N0} rows in {result.Elapsed!.Value.TotalSeconds:0.00} s ({result.PerSecond:N0}/s) from the source's start; {cpu.Threads()}");
        await CheckAsync(databases.Sink);
        return result;
    }

    async Task CheckAsync(string destination)
    {
        var copied = await Sql.ContentAsync(destination, Table);
        if (copied != _source) throw new InvalidOperationException($"the destination's {Table} differs from the source's: source {_source}, destination {copied}");
    }
}
