using Microsoft.Extensions.Logging;

namespace KafkaCdc.Shared.SchemaRegistry;

/// <summary>Every log message of the registry client and serializers (event ids 1000–1099). Credentials are never logged.</summary>
static partial class SchemaRegistryLog
{
    [LoggerMessage(EventId = 1000, Level = LogLevel.Debug, Message = "{Method} {Url} -> {Status} ({ElapsedMs:F1} ms)")]
    public static partial void Answered(ILogger logger, string method, Uri url, int status, double elapsedMs);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "Schema registry: {Operation} failed ({Reason}); retry {Retry} of {MaxRetries} in {DelayMs:F0} ms")]
    public static partial void Retrying(ILogger logger, string operation, string reason, int retry, int maxRetries, double delayMs);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "Schema registry at {Url} did not answer ({Reason}); failing over to {NextUrl}")]
    public static partial void FailingOver(ILogger logger, Uri url, string reason, Uri nextUrl);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Information, Message = "Subject {Subject}: schema registered with id {SchemaId}")]
    public static partial void Registered(ILogger logger, string subject, int schemaId);
}
