using Microsoft.Extensions.Logging;

namespace KafkaCdc.DevStack.SchemaRegistry;

/// <summary>Every log message of the dev schema registry (event ids 1100–1199). Credentials are never logged.</summary>
static partial class SchemaRegistryServerLog
{
    [LoggerMessage(EventId = 1100, Level = LogLevel.Information, Message = "Schema registry listening on {Url}{AuthNote}")]
    public static partial void Listening(ILogger logger, Uri url, string authNote);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Debug, Message = "{Method} {Path} -> {Status} ({ElapsedMs:F1} ms)")]
    public static partial void Request(ILogger logger, string method, string path, int status, double elapsedMs);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Debug, Message = "Subject {Subject}: schema id {Id} registered")]
    public static partial void Registered(ILogger logger, string subject, int id);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Debug, Message = "{Method} {Path}: answered {Status} with error code {ErrorCode}: {Reason}")]
    public static partial void Rejected(ILogger logger, string method, string path, int status, int errorCode, string reason);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Error, Message = "{Method} {Path}: unexpected error, answered 500")]
    public static partial void Failed(ILogger logger, string method, string path, Exception exception);

    [LoggerMessage(EventId = 1105, Level = LogLevel.Information, Message = "Schema registry on {Url} stopped")]
    public static partial void Stopped(ILogger logger, Uri url);
}
