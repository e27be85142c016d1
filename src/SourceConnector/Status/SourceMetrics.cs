using System.Diagnostics.Metrics;
using KafkaCdc.Shared.ChangeEvents;
using KafkaCdc.Shared.Metrics;

namespace KafkaCdc.SourceConnector.Status;

/// <summary>
/// The source's metrics (<c>GET /metrics</c>), instruments of the connector's <see cref="ConnectorMeter"/>. Gauges read
/// <see cref="SourceStatus"/> when scraped; counters are advanced by <see cref="Flush"/> from the status's totals (the
/// publisher thread only counts into <see cref="SourceStatus"/>, which is cheaper than an instrument per change).
/// </summary>
internal sealed class SourceMetrics
{
    readonly SourceStatus _status;
    readonly Counter<long> _events;
    readonly Counter<long> _produceErrors;
    readonly Counter<long> _heartbeats;
    readonly Counter<long> _restarts;
    readonly Counter<long> _snapshotRows;
    long _reportedProduceErrors;
    long _reportedHeartbeats;
    long _reportedRestarts;
    readonly object _flushLock = new();

    /// <summary>Creates the instruments on <paramref name="meter"/>.</summary>
    public SourceMetrics(ConnectorMeter meter, SourceStatus status)
    {
        _status = status;
        var m = meter.Meter;
        _events = m.CreateCounter<long>("kafkacdc_source_events_total", description: "Change events written to Kafka, by table and operation (c, u, d, t, r)");
        _produceErrors = m.CreateCounter<long>("kafkacdc_source_produce_errors_total", description: "Records Kafka failed to deliver (each makes the connector reconnect or stop)");
        _heartbeats = m.CreateCounter<long>("kafkacdc_source_heartbeats_total", description: "Heartbeat records sent");
        _restarts = m.CreateCounter<long>("kafkacdc_source_restarts_total", description: "Reconnects after transient failures");
        m.CreateObservableGauge("kafkacdc_source_lag_bytes", () => status.LagBytes, description: "WAL bytes between the server's WAL end and the LSN confirmed to PostgreSQL");
        m.CreateObservableGauge("kafkacdc_source_confirmed_lsn", () => (double)(ulong)status.ConfirmedLsn, description: "The LSN last confirmed to PostgreSQL, as a number");
        m.CreateObservableGauge("kafkacdc_source_current_lsn", () => (double)(ulong)status.CurrentLsn, description: "The LSN of the last change read, as a number");
        m.CreateObservableGauge("kafkacdc_source_queue_depth", () => status.QueueDepth, description: "Change events read and waiting to be encoded and produced");
        m.CreateObservableGauge("kafkacdc_source_records_in_flight", () => status.RecordsInFlight, description: "Records produced and not yet acknowledged by Kafka");
        m.CreateObservableGauge("kafkacdc_source_events_per_second", () => status.EventsPerSecond, description: "Change events written per second, over the last second");
        // Shown from the start, at 0, so that an alert on them has a series to watch.
        _produceErrors.Add(0);
        _heartbeats.Add(0);
        _restarts.Add(0);
        _snapshotRows = m.CreateCounter<long>("kafkacdc_source_snapshot_rows_total", description: "Rows read by snapshots and written to Kafka, by table");
        m.CreateObservableGauge("kafkacdc_source_snapshot_running", () => status.Snapshots.IsRunning ? 1 : 0, description: "1 while a snapshot runs");
        m.CreateObservableGauge("kafkacdc_source_snapshot_remaining_rows", ObserveRemaining,
            description: "Rows of each table of the running snapshot still to read, by the table's estimate (reltuples)");
    }

    /// <summary>Moves what <see cref="SourceStatus"/> counted since the last call into the counters.</summary>
    public void Flush()
    {
        lock (_flushLock)
        {
            foreach (var table in _status.Tables)
            {
                foreach (var operation in ChangeOperations.All)
                {
                    var delta = table.TakeDelta(operation);
                    if (delta > 0) _events.Add(delta, new("table", table.Table), new("op", operation.Code()));
                }
            }
            foreach (var table in _status.Snapshots.Tables)
            {
                var delta = table.TakeDelta();
                if (delta > 0) _snapshotRows.Add(delta, new KeyValuePair<string, object?>("table", table.Table));
            }
            Push(_produceErrors, _status.ProduceErrors, ref _reportedProduceErrors);
            Push(_heartbeats, _status.Heartbeats, ref _reportedHeartbeats);
            Push(_restarts, _status.Restarts, ref _reportedRestarts);
        }
    }

    IEnumerable<Measurement<long>> ObserveRemaining() =>
        _status.Snapshots.Tables.Where(t => !t.Done).Select(t =>
            new Measurement<long>(Math.Max(0, t.EstimatedRows - t.Rows), new KeyValuePair<string, object?>("table", t.Table)));

    static void Push(Counter<long> counter, long now, ref long reported)
    {
        if (now > reported) counter.Add(now - reported);
        reported = now;
    }
}
