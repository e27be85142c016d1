namespace KafkaCdc.SourceConnector.ChangeEvents;

/// <summary>
/// What travels from a reader (the replication stream; later the snapshot reader) to the publisher, in order:
/// <see cref="ChangeEvent"/>s and <see cref="TransactionCommit"/>s.
/// </summary>
internal abstract class PipelineItem;
