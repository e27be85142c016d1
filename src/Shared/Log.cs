using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace KafkaCdc.Shared;

/// <summary>
/// Every log message of KafkaCdc.Shared, source-generated. Event id ranges by area: 1000-1099 Kafka client
/// plumbing (<c>KafkaCdc.Shared.Kafka</c>). Levels: Critical = the component cannot go on; Error = an operation
/// failed; Warning = a condition that is retried or recovers by itself; Information = a once-per-run fact
/// worth knowing; Debug = per-operation detail.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1000, Message = "librdkafka {ClientName} {Facility}: {Text}")]
    internal static partial void LibrdkafkaLog(ILogger logger, LogLevel level, string clientName, string facility, string text);

    [LoggerMessage(EventId = 1001, Message = "Kafka client {ClientName} reported {Code}: {Reason} (fatal: {IsFatal})")]
    internal static partial void LibrdkafkaError(ILogger logger, LogLevel level, string clientName, ErrorCode code, string reason, bool isFatal);

    [LoggerMessage(EventId = 1010, Level = LogLevel.Information,
        Message = "The Kafka cluster does not support creating topics through the admin API ({Code}: {Reason}); " +
                  "topics are created by broker auto-creation (a metadata request) instead")]
    internal static partial void CreateTopicsUnsupported(ILogger logger, ErrorCode code, string reason);

    [LoggerMessage(EventId = 1011, Level = LogLevel.Information, Message = "Created topic {Topic} with the broker's default partitions and replication")]
    internal static partial void TopicCreated(ILogger logger, string topic);

    [LoggerMessage(EventId = 1012, Level = LogLevel.Debug, Message = "Topic {Topic} already exists")]
    internal static partial void TopicExists(ILogger logger, string topic);

    [LoggerMessage(EventId = 1013, Level = LogLevel.Debug, Message = "Topic {Topic} is in the cluster metadata with {PartitionCount} partitions")]
    internal static partial void TopicInMetadata(ILogger logger, string topic, int partitionCount);
}
