namespace KafkaCdc.Demo.Watching;

/// <summary>One table's snapshot progress in the source's <c>/status</c>.</summary>
/// <param name="Rows">Rows read and handed to Kafka.</param>
/// <param name="EstimatedRows">The estimate when the snapshot started (0 when unknown).</param>
/// <param name="Done">Every row acknowledged by Kafka.</param>
/// <param name="RowsPerSecond">Rows per second since the table started.</param>
internal sealed record TableSnapshotView(long Rows, long EstimatedRows, bool Done, double RowsPerSecond);
