using Confluent.Kafka;

namespace KafkaCdc.SinkConnector.Errors;

/// <summary>
/// A task stops: a record that can never be written with <c>errors.tolerance=none</c> (the message names its topic,
/// partition and offset, and everything before it was committed), or a failure no retry can fix. Keeps the cause.
/// </summary>
public sealed class SinkTaskFailedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SinkTaskFailedException(string message, TopicPartitionOffset? position, Exception? innerException)
        : base(message, innerException)
    {
        Position = position;
    }

    /// <summary>The record at fault, when one is.</summary>
    public TopicPartitionOffset? Position { get; }
}
