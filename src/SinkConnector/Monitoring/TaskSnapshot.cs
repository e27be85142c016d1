namespace KafkaCdc.SinkConnector.Monitoring;

/// <summary>A task's state for <c>/status</c>, replaced as a whole by the task thread (immutable).</summary>
/// <param name="Id">The task number.</param>
/// <param name="State">
/// starting, running, retrying, stopping, stopped or failed. A task whose tables are stopped (<paramref name="StoppedTables"/>)
/// stays running: its other tables flow, and it stays alive, idle, when all of them are stopped.
/// </param>
/// <param name="Partitions">The assigned partitions.</param>
/// <param name="LastError">The last error, if any.</param>
/// <param name="StoppedTables">
/// The tables this task stopped because a record of theirs cannot be written (<c>errors.tolerance=none</c>) or records
/// of their topic were deleted by the broker before the sink read them (<c>errors.offset.gap=stop</c>).
/// </param>
/// <param name="SkippedGaps">The ranges of records this task skipped because the broker had deleted them (<c>errors.offset.gap=skip</c>).</param>
public sealed record TaskSnapshot(int Id, string State, IReadOnlyList<PartitionSnapshot> Partitions, string? LastError,
    IReadOnlyList<StoppedTableSnapshot> StoppedTables, IReadOnlyList<OffsetGapSnapshot> SkippedGaps);
