using KafkaCdc.Demo.Watching;

namespace KafkaCdc.Demo.Display;

/// <summary>What the demo prints instead of the view where stdout is not a terminal: one line per sample.</summary>
internal static class PlainLog
{
    /// <summary>The line of <paramref name="sample"/>.</summary>
    public static string Line(PipelineSample sample)
    {
        var owners = new PartitionOwners(sample.Sinks);
        var snapshot = sample.Source.SnapshotTables.Count == 0 ? "none"
            : sample.Source.SnapshotTables.Values.All(t => t.Done) ? $"done ({Formats.Count(sample.Source.SnapshotTables.Values.Sum(t => t.Rows))} rows)"
            : $"{sample.Source.SnapshotState} ({string.Join(", ", sample.Source.SnapshotTables.Select(t => $"{t.Key} {Formats.Snapshot(t.Value)}"))})";
        var counts = string.Join(", ", sample.Counts.Select(c => $"{c.Table} {Formats.Count(c.Source)}/{(c.Destination is { } d ? Formats.Count(d) : "-")}"));
        var sinks = string.Join(" ", sample.Sinks.Select(s =>
            $"{s.Process}:{s.State}[" + string.Join(" ", s.Tasks.Select(t => $"t{t.Id} {t.Partitions.Count}p lag {Formats.Count(t.Partitions.Sum(p => p.Lag ?? 0))}")) + "]"));
        var highest = owners.Highest(3).Select(h => $"{h.Topic}/{h.Partition} {Formats.Count(h.Lag)}").ToList();
        var workload = sample.Workload is { } w ? $"workload {w.State} {Formats.Rate(w.ChangesPerSecond)}/s ({Formats.Count(w.Changes)} changes" +
            (w.SchemaChange is null ? ")" : $"; {w.SchemaChange})") : "no workload";
        return $"[{Formats.Elapsed(sample.Elapsed)}] source {sample.Source.State}, snapshot {snapshot} | in {Formats.Rate(sample.Source.EventsPerSecond)}/s " +
            $"out {Formats.Rate(sample.RowsOutPerSecond)}/s | end-to-end lag {Formats.Lag(sample.EndToEndLag)} | consumer lag {Formats.Count(sample.ConsumerLag)}" +
            (highest.Count > 0 ? $" (highest {string.Join(", ", highest)})" : "") + $" | sinks {sinks} | rows source/destination {counts} | {workload}";
    }
}
