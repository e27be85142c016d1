namespace KafkaCdc.SinkConnector.Monitoring;

/// <summary>
/// Records a task skipped (<c>errors.offset.gap=skip</c>) because the broker had deleted them before the sink read them,
/// in <c>/status</c>: the destination lacks their changes.
/// </summary>
/// <param name="Topic">The topic.</param>
/// <param name="Partition">The partition.</param>
/// <param name="FromOffset">The first offset skipped: the partition's next offset when the gap was found.</param>
/// <param name="ToOffset">The log start offset the partition carried on from (exclusive end of the range skipped).</param>
/// <param name="Records">How many records were skipped (<paramref name="ToOffset"/> - <paramref name="FromOffset"/>).</param>
/// <param name="At">When (UTC).</param>
public sealed record OffsetGapSnapshot(string Topic, int Partition, long FromOffset, long ToOffset, long Records, DateTimeOffset At);
