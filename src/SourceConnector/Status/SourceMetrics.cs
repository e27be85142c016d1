using KafkaCdc.Shared.Metrics;
using KafkaCdc.SourceConnector.ChangeEvents;

namespace KafkaCdc.SourceConnector.Status;

/// <summary>
/// The Prometheus metrics of the source (<c>GET /metrics</c>). Gauges read <see cref="SourceStatus"/> at scrape time;
/// counters are fed by <see cref="Flush"/>, called about once a second, so the hot path only increments plain counters.
/// </summary>
internal sealed class SourceMetrics
{
    readonly SourceStatus _status;
    readonly Counter _events;
    readonly Counter _produceErrors;
    readonly Counter _heartbeats;
    readonly Counter _restarts;
    long _reportedProduceErrors;
    long _reportedHeartbeats;
    long _reportedRestarts;
    readonly object _flushLock = new();

    public SourceMetrics(MetricsRegistry registry, SourceStatus status)
    {
        _status = status;
        _events = registry.Counter("kafkacdc_source_events_total", "Change events written to Kafka, by table and operation (c, u, d, t, r)", "table", "op");
        _produceErrors = registry.Counter("kafkacdc_source_produce_errors_total", "Records Kafka failed to deliver (each makes the connector reconnect or stop)");
        _heartbeats = registry.Counter("kafkacdc_source_heartbeats_total", "Heartbeat records sent");
        _restarts = registry.Counter("kafkacdc_source_restarts_total", "Reconnects after transient failures");
        registry.GaugeFunc("kafkacdc_source_lag_bytes", "WAL bytes between the server's WAL end and the LSN confirmed to PostgreSQL", () => status.LagBytes);
        registry.GaugeFunc("kafkacdc_source_confirmed_lsn", "The LSN last confirmed to PostgreSQL, as a number", () => status.ConfirmedLsn);
        registry.GaugeFunc("kafkacdc_source_current_lsn", "The LSN of the last change read, as a number", () => status.CurrentLsn);
        registry.GaugeFunc("kafkacdc_source_queue_depth", "Change events read and waiting to be encoded and produced", () => status.QueueDepth);
        registry.GaugeFunc("kafkacdc_source_records_in_flight", "Records produced and not yet acknowledged by Kafka", () => status.RecordsInFlight);
        registry.GaugeFunc("kafkacdc_source_events_per_second", "Change events written per second, over the last second", () => status.EventsPerSecond);
        _produceErrors.Inc(0);
        _heartbeats.Inc(0);
        _restarts.Inc(0);
        // Fed by the snapshot issue.
        registry.Counter("kafkacdc_source_snapshot_rows_total", "Rows read by snapshots, by table", "table");
    }

    /// <summary>Moves the counts recorded in <see cref="SourceStatus"/> since the previous call into the Prometheus counters.</summary>
    public void Flush()
    {
        lock (_flushLock)
        {
            foreach (var table in _status.Tables)
            {
                foreach (var operation in ChangeOperations.All)
                {
                    var delta = table.TakeDelta(operation);
                    if (delta > 0) _events.Inc(delta, table.Table, operation.Code());
                }
            }
            Push(_produceErrors, _status.ProduceErrors, ref _reportedProduceErrors);
            Push(_heartbeats, _status.Heartbeats, ref _reportedHeartbeats);
            Push(_restarts, _status.Restarts, ref _reportedRestarts);
        }
    }

    static void Push(Counter counter, long now, ref long reported)
    {
        if (now > reported) counter.Inc(now - reported);
        reported = now;
    }
}
