using Microsoft.Extensions.Logging;

namespace KafkaCdc.Tests;

/// <summary>An <see cref="ILogger"/> that keeps what is logged, for assertions on log output.</summary>
public sealed class RecordingLogger : ILogger
{
    readonly List<RecordedLog> _entries = [];

    /// <summary>Everything logged so far.</summary>
    public IReadOnlyList<RecordedLog> Entries
    {
        get
        {
            lock (_entries) return [.. _entries];
        }
    }

    /// <inheritdoc />
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    /// <inheritdoc />
    public bool IsEnabled(LogLevel logLevel) => true;

    /// <inheritdoc />
    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var properties = state as IReadOnlyList<KeyValuePair<string, object?>> ?? [];
        lock (_entries) _entries.Add(new RecordedLog(logLevel, eventId.Id, formatter(state, exception), properties.ToList()));
    }
}
