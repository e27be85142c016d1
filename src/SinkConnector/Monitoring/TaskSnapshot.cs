namespace KafkaCdc.SinkConnector.Monitoring;

/// <summary>A task's state for <c>/status</c>, replaced as a whole by the task thread (immutable).</summary>
/// <param name="Id">The task number.</param>
/// <param name="State">starting, running, retrying, stopping, stopped or failed.</param>
/// <param name="Partitions">The assigned partitions.</param>
/// <param name="LastError">The last error, if any.</param>
public sealed record TaskSnapshot(int Id, string State, IReadOnlyList<PartitionSnapshot> Partitions, string? LastError);
