using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace KafkaCdc.Tests.DevStack.SchemaRegistry;

/// <summary>An <see cref="ILoggerFactory"/> keeping every entry (message and exception text), at every level.</summary>
sealed class CapturingLoggerFactory : ILoggerFactory
{
    readonly ConcurrentQueue<string> _entries = new();

    /// <summary>Each entry as <c>Level Category: message</c>, followed by the exception's full text if any.</summary>
    public IReadOnlyCollection<string> Entries => _entries;

    /// <summary>All entries as one text.</summary>
    public string Text => string.Join(Environment.NewLine, _entries);

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _entries);

    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException();

    public void Dispose()
    {
    }

    sealed class Logger(string category, ConcurrentQueue<string> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            entries.Enqueue($"{logLevel} {category}: {formatter(state, exception)}{(exception is null ? "" : Environment.NewLine + exception)}");
    }
}
