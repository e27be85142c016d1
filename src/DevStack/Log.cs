using Microsoft.Extensions.Logging;

namespace KafkaCdc.DevStack;

/// <summary>
/// Every log message of the dev stack, source-generated. Event ids: 1-99 host, 100-199 Kafka, 200-299
/// PostgreSQL, 300-399 admin endpoint. Levels: Information for lifecycle facts, Warning for fault injection
/// (so a test log shows what was done to the cluster), Error for a component that failed.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Starting {Component}")]
    internal static partial void Starting(ILogger logger, string component);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Dev stack ready; variables written to {EnvFile}")]
    internal static partial void Ready(ILogger logger, string envFile);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Stop requested by {Signal}")]
    internal static partial void StopRequested(ILogger logger, string signal);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Parent process {Pid} exited; stopping")]
    internal static partial void ParentExited(ILogger logger, int pid);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "Stopping {Component}")]
    internal static partial void Stopping(ILogger logger, string component);

    [LoggerMessage(EventId = 6, Level = LogLevel.Error, Message = "Stopping {Component} failed")]
    internal static partial void StopFailed(ILogger logger, Exception exception, string component);

    [LoggerMessage(EventId = 7, Level = LogLevel.Error, Message = "Starting {Component} failed")]
    internal static partial void StartFailed(ILogger logger, Exception exception, string component);

    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Mock Kafka cluster with {BrokerCount} brokers at {BootstrapServers}")]
    internal static partial void KafkaStarted(ILogger logger, int brokerCount, string bootstrapServers);

    [LoggerMessage(EventId = 101, Level = LogLevel.Warning, Message = "The mock Kafka brokers keep at most {MaxBytes} bytes (or {MaxBatches} produce batches) per partition " +
        "and delete the oldest records beyond that, read or not (librdkafka's rdkafka_mock.c, not configurable): a consumer that falls further behind loses them. " +
        "KafkaCdc's sink stops the table with an error naming the lost range (errors.offset.gap); spread large loads over more partitions, or use real Kafka")]
    internal static partial void KafkaRetentionLimit(ILogger logger, long maxBytes, int maxBatches);

    [LoggerMessage(EventId = 200, Level = LogLevel.Information, Message = "PostgreSQL on 127.0.0.1:{Port}")]
    internal static partial void PostgresStarted(ILogger logger, int port);

    [LoggerMessage(EventId = 250, Level = LogLevel.Information, Message = "Schema registry at {Url}")]
    public static partial void SchemaRegistryStarted(ILogger logger, string url);

    [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "Admin endpoint at {Url}")]
    internal static partial void AdminStarted(ILogger logger, string url);

    [LoggerMessage(EventId = 301, Level = LogLevel.Warning, Message = "Fault injection: {Action}")]
    internal static partial void FaultInjected(ILogger logger, string action);

    [LoggerMessage(EventId = 302, Level = LogLevel.Information, Message = "Admin request rejected ({Method} {Path}): {Reason}")]
    internal static partial void AdminRequestRejected(ILogger logger, string method, string path, string reason);
}
