using Confluent.Kafka;
using KafkaCdc.SinkConnector.Decoding;

namespace KafkaCdc.SinkConnector.Batching;

/// <summary>
/// Consecutive records of one partition, applied in one database transaction, after which the partition's offset
/// moves to <see cref="NextOffset"/>. Owned by the task thread from <see cref="PartitionBatcher"/> to the commit.
/// </summary>
public sealed class PartitionBatch
{
    readonly List<ChangeRecord> _records;

    /// <summary>Creates a batch of <paramref name="partition"/>, opened at <paramref name="openedAt"/>.</summary>
    public PartitionBatch(TopicPartition partition, DateTimeOffset openedAt, int capacity = 16)
    {
        Partition = partition;
        OpenedAt = openedAt;
        _records = new List<ChangeRecord>(capacity);
    }

    /// <summary>The partition.</summary>
    public TopicPartition Partition { get; }

    /// <summary>When the first record arrived (the linger runs from here).</summary>
    public DateTimeOffset OpenedAt { get; }

    /// <summary>The records in offset order.</summary>
    public IReadOnlyList<ChangeRecord> Records => _records;

    /// <summary>The offset after the last record: what is committed once the batch is applied.</summary>
    public long NextOffset => _records[^1].Offset + 1;

    /// <summary>Appends a record (offsets increase).</summary>
    public void Add(ChangeRecord record) => _records.Add(record);

    /// <inheritdoc />
    public override string ToString() =>
        _records.Count == 0 ? $"{Partition} (empty)" : $"{Partition.Topic}/{Partition.Partition.Value} offsets {_records[0].Offset}..{_records[^1].Offset}";
}
