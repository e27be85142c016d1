namespace KafkaCdc.SinkConnector.Monitoring;

/// <summary>
/// A table a task stopped writing, in <c>/status</c>: a record of it cannot be written (<c>errors.tolerance=none</c>), or
/// records of its topic were deleted by the broker before the sink read them (<c>errors.offset.gap=stop</c>). Its
/// partitions in this task are paused and their offsets held at the failing record (the first lost offset) until a restart.
/// </summary>
/// <param name="Table">The destination table, or null when it is unknown (the record could not be decoded, or records were lost and <c>table.name.format</c> names source parts).</param>
/// <param name="Topic">The topic of the failing record (every partition of it in this task is paused).</param>
/// <param name="Partition">The failing record's partition.</param>
/// <param name="Offset">The failing record's offset, or the first lost one: the committed offset of its partition, where a restart resumes.</param>
/// <param name="Reason">Why the record cannot be written (names the column and both definitions for a schema refusal).</param>
/// <param name="Since">When the table stopped (UTC).</param>
/// <param name="PausedPartitions">The partitions of <paramref name="Topic"/> this task holds paused.</param>
public sealed record StoppedTableSnapshot(string? Table, string Topic, int Partition, long Offset, string Reason, DateTimeOffset Since,
    IReadOnlyList<int> PausedPartitions);
