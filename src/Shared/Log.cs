using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace KafkaCdc.Shared;

/// <summary>
/// Every log message of KafkaCdc.Shared, source-generated. Event id ranges by area: 1000-1099 Kafka client
/// plumbing (<c>KafkaCdc.Shared.Kafka</c>); 1150-1169 the SSH tunnel (<c>KafkaCdc.Shared.Ssh</c>). Levels: Critical = the component cannot go on; Error = an operation
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

    [LoggerMessage(EventId = 1150, Level = LogLevel.Information, Message = "SSH tunnel: {Description}")]
    internal static partial void SshTunnelOpen(ILogger logger, string description);

    [LoggerMessage(EventId = 1151, Level = LogLevel.Warning, Message = "The SSH session with {Server} (the tunnel to {Destination}) was lost; opening it again")]
    internal static partial void SshTunnelLost(ILogger logger, string server, string destination);

    [LoggerMessage(EventId = 1152, Level = LogLevel.Warning, Message = "The SSH session with {Server} failed: {Reason}")]
    internal static partial void SshSessionError(ILogger logger, string server, string reason);

    [LoggerMessage(EventId = 1153, Level = LogLevel.Warning, Message = "SSH tunnel: forwarding a connection to {Destination} through {Server} failed: {Reason}")]
    internal static partial void SshForwardFailed(ILogger logger, string destination, string server, string reason);

    [LoggerMessage(EventId = 1154, Level = LogLevel.Warning,
        Message = "{Key}=false: the host key of the SSH server {Server} ({HostKey}) is not verified; whoever can intercept the connection " +
                  "to it can read and change the database traffic. Set a known_hosts file in ssh.known.hosts and remove {Key}=false")]
    internal static partial void SshHostKeyNotChecked(ILogger logger, string key, string server, string hostKey);
}
