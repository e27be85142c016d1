using KafkaCdc.SinkConnector;

namespace KafkaCdc.Tests.SinkConnector.Support;

/// <summary>A <see cref="SinkWorker"/> running in the test process until stopped, logging into a recorder.</summary>
internal sealed class InProcessSink : IAsyncDisposable
{
    readonly CancellationTokenSource _shutdown = new();

    InProcessSink(IReadOnlyDictionary<string, string> config)
    {
        Config = config;
        Worker = new SinkWorker(SinkConfigs.Options(config), Logging);
        Metrics = new SinkMetricValues(Worker.Metrics);
        Exit = Task.Run(() => Worker.RunAsync(_shutdown.Token));
    }

    /// <summary>The configuration.</summary>
    public IReadOnlyDictionary<string, string> Config { get; }

    /// <summary>The worker.</summary>
    public SinkWorker Worker { get; }

    /// <summary>What its counters recorded.</summary>
    public SinkMetricValues Metrics { get; }

    /// <summary>What it logged.</summary>
    public RecordingLoggerFactory Logging { get; } = new();

    /// <summary>Its exit code, once it stopped.</summary>
    public Task<int> Exit { get; }

    /// <summary>Starts a sink with <paramref name="config"/>.</summary>
    public static InProcessSink Start(IReadOnlyDictionary<string, string> config) => new(config);

    /// <summary>Shuts it down as SIGTERM would and returns the exit code.</summary>
    public async Task<int> StopAsync()
    {
        await _shutdown.CancelAsync();
        try
        {
            return await Exit.WaitAsync(TimeSpan.FromSeconds(60));
        }
        catch (TimeoutException)
        {
            Assert.Fail($"the sink did not stop within 60 s; its log:\n{Logging.Text}");
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!Exit.IsCompleted) await StopAsync();
        _shutdown.Dispose();
        Metrics.Dispose();
    }
}
