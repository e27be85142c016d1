using KafkaCdc.Demo.Workload;

namespace KafkaCdc.Demo.Watching;

/// <summary>Everything one refresh of the view shows, read at about the same time.</summary>
/// <param name="Elapsed">Time since the demo started.</param>
/// <param name="Source">The source connector.</param>
/// <param name="Sinks">The sink processes.</param>
/// <param name="Counts">Row counts per table at both ends (refreshed every few seconds).</param>
/// <param name="EndToEndLag">Commit at the source → row at the destination, when measurable (the workload's inserts).</param>
/// <param name="Workload">What the workload has done, or null without one.</param>
internal sealed record PipelineSample(TimeSpan Elapsed, SourceView Source, IReadOnlyList<SinkView> Sinks, IReadOnlyList<TableCounts> Counts,
    TimeSpan? EndToEndLag, WorkloadProgress? Workload)
{
    /// <summary>Rows the sink group writes per second.</summary>
    public double RowsOutPerSecond => Sinks.Sum(s => s.RowsPerSecond);

    /// <summary>Records not yet written, over every known partition.</summary>
    public long ConsumerLag => Sinks.SelectMany(s => s.Partitions).Sum(p => p.Lag ?? 0);
}
