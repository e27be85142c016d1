using Confluent.Kafka;

namespace KafkaCdc.SinkConnector.Errors;

/// <summary>
/// A task stops: a failure no retry can fix and that is not one record's (credentials, privileges, a registry that
/// refuses the client, a fatal consumer error...). A record that can never be written does not stop the task but only
/// its table (with <c>errors.tolerance=none</c>; the task pauses that table's partitions). Keeps the cause.
/// </summary>
public sealed class SinkTaskFailedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SinkTaskFailedException(string message, TopicPartitionOffset? position, Exception? innerException)
        : base(message, innerException)
    {
        Position = position;
    }

    /// <summary>The record being handled when the task failed, when there is one.</summary>
    public TopicPartitionOffset? Position { get; }
}
