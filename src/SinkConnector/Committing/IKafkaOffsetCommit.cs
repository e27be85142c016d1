using Confluent.Kafka;

namespace KafkaCdc.SinkConnector.Committing;

/// <summary>Commits a partition's offset to the Kafka consumer group (the task's consumer; a recorder in tests).</summary>
public interface IKafkaOffsetCommit
{
    /// <summary>Stores and commits <paramref name="offset"/> (the next offset to read) synchronously.</summary>
    /// <exception cref="KafkaException">The commit failed.</exception>
    void Commit(TopicPartitionOffset offset);
}
