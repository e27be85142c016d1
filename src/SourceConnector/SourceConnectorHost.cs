using KafkaCdc.Shared;
using KafkaCdc.Shared.Failures;
using KafkaCdc.Shared.Hosting;
using KafkaCdc.Shared.Metrics;
using KafkaCdc.SourceConnector.Configuration;
using KafkaCdc.SourceConnector.Snapshots;
using KafkaCdc.SourceConnector.Status;
using Microsoft.Extensions.Logging;

namespace KafkaCdc.SourceConnector;

/// <summary>
/// The <c>run</c> command without the process plumbing: the REST endpoint, the once-a-second status sampling and
/// the <see cref="SourceRunner"/>. Tests run it in-process; <c>Program</c> runs it with the shutdown signal.
/// </summary>
internal static class SourceConnectorHost
{
    /// <summary>Runs the connector until <paramref name="stop"/>; returns the process exit code.</summary>
    /// <param name="options">The validated options.</param>
    /// <param name="loggerFactory">Logging.</param>
    /// <param name="stop">Graceful stop (SIGTERM/SIGINT).</param>
    /// <param name="status">The status object to fill (tests read it); a new one when null.</param>
    public static async Task<int> RunAsync(SourceOptions options, ILoggerFactory loggerFactory, CancellationToken stop, SourceStatus? status = null)
    {
        var logger = loggerFactory.CreateLogger("KafkaCdc.SourceConnector");
        status ??= new SourceStatus(options.Name);
        Log.Starting(logger, options.Name, KafkaCdcVersion.Current, string.Join(", ", options.Effective.Select(p => $"{p.Key}={p.Value}")));
        if (options.IsPoolerHost)
        {
            status.Set(ConnectorState.Failed, options.PoolerRefusal);
            Log.Failed(logger, options.PoolerRefusal, new SourceConnectorException(FailureKind.Permanent, options.PoolerRefusal));
            return ConnectorCommandLine.ConfigErrorExitCode;
        }

        using var meter = new ConnectorMeter("source", options.Name);
        var metrics = new SourceMetrics(meter, status);
        var signals = new SignalInbox();
        await using var rest = await ConnectorRestServer.StartAsync(options.RestPort, status.Health, status.Snapshot, meter, loggerFactory, stop, signals.Post);
        using var sampling = new CancellationTokenSource();
        var sampler = SampleAsync(status, metrics, sampling.Token);
        try
        {
            return await new SourceRunner(options, status, loggerFactory, signals).RunAsync(stop);
        }
        finally
        {
            await sampling.CancelAsync();
            await sampler;
            metrics.Flush();
        }
    }

    static async Task SampleAsync(SourceStatus status, SourceMetrics metrics, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                status.Sample();
                metrics.Flush();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
