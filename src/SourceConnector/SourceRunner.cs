using KafkaCdc.Shared.Failures;
using KafkaCdc.Shared.Postgres;
using KafkaCdc.Shared.Retrying;
using KafkaCdc.SourceConnector.Configuration;
using KafkaCdc.SourceConnector.Snapshots;
using KafkaCdc.SourceConnector.Status;
using Microsoft.Extensions.Logging;

namespace KafkaCdc.SourceConnector;

/// <summary>
/// Runs replication sessions until stopped: a transient failure (see <see cref="FailureClassifier"/>) reconnects
/// after a capped exponential backoff and resumes from the stored offset (records may repeat, none is lost); a
/// permanent one stops the connector with its reason. With <c>ssh.enabled=true</c> each attempt first opens the SSH
/// tunnel (again, after a failure), which it closes when the connector stops.
/// </summary>
internal sealed class SourceRunner(SourceOptions options, SourceStatus status, ILoggerFactory loggerFactory, SignalInbox? signals = null)
{
    static readonly Backoff s_backoff = new(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));
    static readonly TimeSpan s_healthyAfter = TimeSpan.FromMinutes(1);
    readonly ILogger _logger = loggerFactory.CreateLogger("KafkaCdc.SourceConnector");

    /// <summary>Streams until <paramref name="stop"/> (exit code 0) or a permanent failure (1).</summary>
    public async Task<int> RunAsync(CancellationToken stop)
    {
        using var process = new SourceProcess(options, status, loggerFactory, signals);
        using var tunnel = options.Connection.Tunnel;
        var attempt = 0;
        var prepared = false;
        while (true)
        {
            var streamingSince = DateTime.MaxValue;
            try
            {
                status.Set(ConnectorState.Starting);
                if (!prepared)
                {
                    await process.PrepareKafkaAsync(stop);
                    await process.Offsets.ReadAsync(stop);
                    prepared = true;
                }
                // After a failure the SSH session is opened anew: a half-open one (the server gone without a word) looks alive.
                await options.Connection.EnsureReachableAsync(_logger, stop, reopenTunnel: attempt > 0);
                await new StreamingSession(process, _logger).RunAsync(stop, () =>
                {
                    streamingSince = DateTime.UtcNow;
                    status.Set(ConnectorState.Streaming);
                    Log.Streaming(_logger);
                });
                status.Set(ConnectorState.Stopped);
                return 0;
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                status.Set(ConnectorState.Stopped);
                return 0;
            }
            catch (Exception e)
            {
                if (FailureClassifier.Classify(e) == FailureKind.Permanent)
                {
                    var reason = await PgTlsDiagnosis.DescribeAsync(e, options.Connection, CancellationToken.None);
                    status.Set(ConnectorState.Failed, reason);
                    Log.Failed(_logger, reason, e);
                    return 1;
                }
                if (DateTime.UtcNow - streamingSince > s_healthyAfter) attempt = 0;
                var backoff = s_backoff.Delay(++attempt);
                status.Set(ConnectorState.Retrying, e.Message);
                status.RecordRestart();
                Log.Retrying(_logger, backoff.TotalSeconds, e.Message, e);
                try
                {
                    await Task.Delay(backoff, stop);
                }
                catch (OperationCanceledException)
                {
                    status.Set(ConnectorState.Stopped);
                    return 0;
                }
            }
        }
    }
}
