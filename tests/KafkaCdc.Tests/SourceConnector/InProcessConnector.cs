using System.Collections.Concurrent;
using KafkaCdc.Shared.Configuration;
using KafkaCdc.SourceConnector;
using KafkaCdc.SourceConnector.Configuration;
using KafkaCdc.SourceConnector.Status;
using Microsoft.Extensions.Logging;

namespace KafkaCdc.Tests.SourceConnector;

/// <summary>
/// The source connector run in the test process (<c>SourceConnectorHost</c>, as the <c>run</c> command runs it),
/// with its log kept in memory for assertions and failure messages. Disposing stops it gracefully.
/// </summary>
internal sealed class InProcessConnector : IAsyncDisposable
{
    readonly CancellationTokenSource _stop = new();
    readonly LogProvider _logs = new();
    readonly ILoggerFactory _loggerFactory;

    InProcessConnector(SourceOptions options)
    {
        Options = options;
        Status = new SourceStatus(options.Name);
        _loggerFactory = LoggerFactory.Create(builder => builder.SetMinimumLevel(LogLevel.Debug).AddProvider(_logs));
        Exit = Task.Run(() => SourceConnectorHost.RunAsync(options, _loggerFactory, _stop.Token, Status));
    }

    /// <summary>The options it runs with.</summary>
    public SourceOptions Options { get; }

    /// <summary>Its live status.</summary>
    public SourceStatus Status { get; }

    /// <summary>Completes with the exit code the process would have.</summary>
    public Task<int> Exit { get; }

    /// <summary>Everything logged so far, one line per entry.</summary>
    public string Log => string.Join(Environment.NewLine, _logs.Lines);

    /// <summary>Log entries so far.</summary>
    public IReadOnlyCollection<string> LogLines => _logs.Lines;

    /// <summary>Reads the options from <paramref name="config"/> (no environment overrides) and starts the connector.</summary>
    public static InProcessConnector Start(IReadOnlyDictionary<string, string> config) =>
        new(SourceOptions.Read(new ConfigReader(RawConfig.FromPairs(config), new Dictionary<string, string>())));

    /// <summary>Starts the connector and waits until it streams.</summary>
    public static async Task<InProcessConnector> StartStreamingAsync(IReadOnlyDictionary<string, string> config)
    {
        var connector = Start(config);
        await connector.WaitForStateAsync(ConnectorState.Streaming, TimeSpan.FromSeconds(60));
        return connector;
    }

    /// <summary>Waits for <paramref name="state"/>; fails with the connector's log on timeout or early exit.</summary>
    public async Task WaitForStateAsync(ConnectorState state, TimeSpan timeout)
    {
        await Poll.UntilAsync(() =>
        {
            if (Status.State == state) return true;
            if (Exit.IsCompleted && state is not (ConnectorState.Failed or ConnectorState.Stopped))
                Assert.Fail($"the connector exited with {Exit.Result} instead of reaching {state}; its log:\n{Log}");
            return false;
        }, timeout, $"the connector to be {state} (it is {Status.State}; log:\n{Log})");
    }

    /// <summary>Stops it gracefully and returns the exit code.</summary>
    public async Task<int> StopAsync()
    {
        await _stop.CancelAsync();
        return await Exit.WaitAsync(TimeSpan.FromSeconds(60));
    }

    public async ValueTask DisposeAsync()
    {
        if (!Exit.IsCompleted) await StopAsync();
        _loggerFactory.Dispose();
        _stop.Dispose();
    }

    sealed class LogProvider : ILoggerProvider
    {
        public ConcurrentQueue<string> Lines { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, Lines);

        public void Dispose()
        {
        }

        sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (category.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal)) return;
                lines.Enqueue($"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel} [{eventId.Id}] {category}: {formatter(state, exception)}" +
                              (exception is null || logLevel < LogLevel.Error ? "" : logLevel == LogLevel.Critical ? $"\n{exception}" : $" ({exception.GetType().Name})"));
            }
        }
    }
}
