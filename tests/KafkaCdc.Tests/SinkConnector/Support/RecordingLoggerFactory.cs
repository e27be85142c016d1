using Microsoft.Extensions.Logging;

namespace KafkaCdc.Tests.SinkConnector.Support;

/// <summary>A logger factory whose loggers all write into one <see cref="RecordingLogger"/>.</summary>
internal sealed class RecordingLoggerFactory : ILoggerFactory, ILoggerProvider
{
    /// <summary>What was logged.</summary>
    public RecordingLogger Logger { get; } = new();

    /// <summary>Everything logged, one line per entry, for failure messages.</summary>
    public string Text => string.Join(Environment.NewLine, Logger.Entries.Select(e => $"{e.Level} {e.EventId} {e.Message}"));

    public ILogger CreateLogger(string categoryName) => Logger;

    public void AddProvider(ILoggerProvider provider) { }

    public void Dispose() { }
}
