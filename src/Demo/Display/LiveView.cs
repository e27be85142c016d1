using KafkaCdc.Demo.Watching;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace KafkaCdc.Demo.Display;

/// <summary>
/// The refreshing terminal view (Spectre.Console): the flow (changes/s in and out, end-to-end lag, consumer lag), the
/// workload, per table the snapshot progress and the row counts at both ends, the sink group's processes and tasks,
/// and per partition which task holds it and how far behind it is.
/// </summary>
internal static class LiveView
{
    /// <summary>The view of <paramref name="sample"/>; <paramref name="status"/> is a line under it (what happens now).</summary>
    public static IRenderable Render(PipelineSample sample, DemoOptions options, string status)
    {
        var owners = new PartitionOwners(sample.Sinks);
        var rows = new List<IRenderable>
        {
            new Markup($"[bold]KafkaCdc[/]  shop (source) → Kafka → analytics (destination)   elapsed {Formats.Elapsed(sample.Elapsed)}   " +
                $"source [bold]{Markup.Escape(sample.Source.State)}[/]   sink group: {options.SinkUrls.Count} process(es), " +
                $"{sample.Sinks.Sum(s => s.Tasks.Count)} task(s), insert.mode={(options.InsertMode ? "insert" : "upsert")}"),
            Flow(sample),
            Workload(sample),
            Tables(sample),
            SinkGroup(sample, owners),
            Partitions(owners),
        };
        // The connectors keep their last error (a transient one too, retried since): one line each, first line only.
        var errors = new[] { sample.Source.Error is null ? null : $"source: {sample.Source.Error}" }
            .Concat(sample.Sinks.Select(s => s.Error is null ? null : $"sink {s.Process}: {s.Error}"))
            .Where(e => e is not null).Select(e => e!.Split('\n')[0].Trim()).ToList();
        if (errors.Count > 0) rows.Add(new Markup($"[red]last error {Markup.Escape(string.Join(" | ", errors))}[/]"));
        rows.Add(new Markup($"[grey]{Markup.Escape(status)}   logs {options.Logs}/   REST {options.SourceUrl}/status " +
            $"{string.Join(" ", options.SinkUrls.Select(u => u + "/status"))}[/]"));
        return new Rows(rows);
    }

    static Markup Flow(PipelineSample sample) => new(
        $"in [bold]{Formats.Rate(sample.Source.EventsPerSecond)}[/] changes/s (source)   out [bold]{Formats.Rate(sample.RowsOutPerSecond)}[/] rows/s (sinks)   " +
        $"end-to-end lag [bold]{Formats.Lag(sample.EndToEndLag)}[/]   consumer lag [bold]{Formats.Count(sample.ConsumerLag)}[/] records   " +
        $"slot holds {Formats.Bytes(sample.Source.LagBytes)} of WAL");

    static Markup Workload(PipelineSample sample) => sample.Workload is not { } w
        ? new Markup("workload: none (--no-workload)")
        : new Markup($"workload: {Markup.Escape(w.State)}, {Formats.Rate(w.ChangesPerSecond)} changes/s, {Formats.Count(w.Inserts)} inserts, " +
            $"{Formats.Count(w.Updates)} updates, {Formats.Count(w.Deletes)} deletes   schema change: {Markup.Escape(w.SchemaChange ?? "not yet")}");

    static Table Tables(PipelineSample sample)
    {
        var table = new Table().Border(TableBorder.Rounded).Title("tables")
            .AddColumns("table", "snapshot (initial or incremental)", "rows at source", "rows at destination", "difference");
        foreach (var counts in sample.Counts)
        {
            sample.Source.SnapshotTables.TryGetValue("public." + counts.Table, out var snapshot);
            var progress = snapshot switch
            {
                null => "—",
                { Done: true } => $"[green]{Formats.Bar(1, 20)}[/] {Markup.Escape(Formats.Snapshot(snapshot)!)}",
                { EstimatedRows: > 0 } s => $"[yellow]{Formats.Bar((double)s.Rows / s.EstimatedRows, 20)}[/] {Markup.Escape(Formats.Snapshot(s)!)}",
                { } s => Markup.Escape(Formats.Snapshot(s)!),
            };
            var difference = counts.Destination is { } d ? counts.Source - d : counts.Source;
            table.AddRow(counts.Table, progress, Formats.Count(counts.Source),
                counts.Destination is { } n ? Formats.Count(n) : "(no table yet)",
                difference == 0 ? "[green]0[/]" : $"[yellow]{Formats.Count(difference)}[/]");
        }
        return table;
    }

    static Table SinkGroup(PipelineSample sample, PartitionOwners owners)
    {
        var table = new Table().Border(TableBorder.Rounded).Title("sink group (one consumer group)")
            .AddColumns("process", "task", "label", "state", "partitions", "lag", "rows/s");
        foreach (var sink in sample.Sinks)
        {
            if (sink.Tasks.Count == 0)
                table.AddRow(sink.Process.ToString(), "—", "", Markup.Escape(sink.State), "", "", "");
            foreach (var task in sink.Tasks)
            {
                var label = owners.Labels.First(l => l.Process == sink.Process && l.Task == task.Id).Label;
                var stopped = task.StoppedTables > 0 ? $" [red]({task.StoppedTables} table(s) stopped)[/]" : "";
                table.AddRow(sink.Process.ToString(), task.Id.ToString(), label.ToString(), Markup.Escape(task.State) + stopped,
                    Formats.Count(task.Partitions.Count), Formats.Count(task.Partitions.Sum(p => p.Lag ?? 0)),
                    task.Id == 0 ? Formats.Rate(sink.RowsPerSecond) + " (process)" : "");
            }
        }
        return table;
    }

    /// <summary>One line per topic, one cell per partition: the owning task's label, green at lag 0, yellow below 1,000, red above.</summary>
    static IRenderable Partitions(PartitionOwners owners)
    {
        var lines = new List<string> { "partitions (cell = owning task's label; [green]lag 0[/], [yellow]< 1,000[/], [red]≥ 1,000[/], · unassigned)" };
        foreach (var topic in owners.Topics)
        {
            var cells = Enumerable.Range(0, owners.MaxPartition(topic) + 1).Select(p => owners.Of(topic, p) switch
            {
                null => "[grey]·[/]",
                { Lag: 0 } o => $"[green]{o.Label}[/]",
                { Lag: null } o => $"[grey]{o.Label}[/]",
                { Lag: < 1000 } o => $"[yellow]{o.Label}[/]",
                { } o => $"[red]{o.Label}[/]",
            });
            lines.Add($"  {Markup.Escape(topic),-16} {string.Concat(cells)}");
        }
        var highest = owners.Highest(4).Select(h => $"{h.Topic}/{h.Partition} {Formats.Count(h.Lag)}").ToList();
        lines.Add("  highest lag: " + (highest.Count == 0 ? "none" : Markup.Escape(string.Join(", ", highest))));
        return new Markup(string.Join("\n", lines));
    }
}
