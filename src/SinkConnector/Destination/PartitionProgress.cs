using Confluent.Kafka;
using KafkaCdc.Shared.ChangeEvents;

namespace KafkaCdc.SinkConnector.Destination;

/// <summary>
/// A partition's row of <c>kafkacdc_sink_offsets</c>: the next offset to apply and the highest source position applied
/// (null until a record with a <see cref="SourcePosition"/> was applied; a null written keeps the stored one).
/// </summary>
/// <param name="Partition">The topic partition.</param>
/// <param name="NextOffset">The offset after the last record applied.</param>
/// <param name="Source">The highest source position applied.</param>
public readonly record struct PartitionProgress(TopicPartition Partition, long NextOffset, SourcePosition? Source);
