namespace KafkaCdc.SinkConnector.Configuration;

/// <summary>
/// <c>errors.offset.gap</c>: what happens when records a partition's next offset points at are gone, deleted by the
/// broker (retention, <c>DeleteRecords</c>) before the sink read them, so the destination can no longer get their changes.
/// </summary>
public enum OffsetGapHandling
{
    /// <summary>
    /// The topic's table stops (its partitions paused and held at the first lost offset, as for a record that cannot be
    /// written), with an error naming the partition and the lost offset range; nothing past the gap is written.
    /// </summary>
    Stop,

    /// <summary>
    /// The partition carries on from the log start, with a warning naming the partition and the range skipped; the
    /// skipped records are counted (<c>kafkacdc_sink_records_lost_total</c>, <c>/status</c> <c>skipped_gaps</c>).
    /// </summary>
    Skip,
}
