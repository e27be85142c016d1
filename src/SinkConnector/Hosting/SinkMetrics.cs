using KafkaCdc.Shared.Metrics;
using KafkaCdc.SinkConnector.Applying;

namespace KafkaCdc.SinkConnector.Hosting;

/// <summary>The sink's Prometheus metrics (<c>GET /metrics</c>) and the rows/s meter of <c>/status</c>. Thread-safe.</summary>
public sealed class SinkMetrics
{
    readonly Counter _records;
    readonly Counter _rows;
    readonly Counter _batches;
    readonly Counter _batchSeconds;
    readonly Gauge _lastBatchSeconds;
    readonly Counter _skipped;
    readonly Counter _unavailableAsNull;
    readonly Counter _deadLettered;
    readonly Counter _retries;
    readonly Counter _kafkaCommitFailures;
    readonly Gauge _lag;

    /// <summary>Registers the metrics.</summary>
    public SinkMetrics(MetricsRegistry? registry = null)
    {
        Registry = registry ?? new MetricsRegistry();
        _records = Registry.Counter("kafkacdc_sink_records_total", "Records consumed and handed to the database in batches", "topic");
        _rows = Registry.Counter("kafkacdc_sink_rows_total", "Rows written, by table and operation (upsert, insert, delete, truncate)", "table", "op");
        _batches = Registry.Counter("kafkacdc_sink_batches_total", "Batch transactions committed (one may hold batches of several partitions)");
        _batchSeconds = Registry.Counter("kafkacdc_sink_batch_seconds_total", "Time spent applying committed batches (divide by kafkacdc_sink_batches_total for the mean latency)");
        _lastBatchSeconds = Registry.Gauge("kafkacdc_sink_last_batch_seconds", "How long the last committed batch took");
        _skipped = Registry.Counter("kafkacdc_sink_skipped_records_total",
            "Records not written, by reason (delete_disabled, truncate_disabled, before_truncate, already_applied, heartbeat...)", "reason");
        _unavailableAsNull = Registry.Counter("kafkacdc_sink_unavailable_values_as_null_total",
            "Rows inserted whose unchanged-TOAST placeholders had no stored value to keep, so those columns were written as NULL", "table");
        _deadLettered = Registry.Counter("kafkacdc_sink_dead_letter_records_total", "Records sent to the dead-letter topic (or skipped without one), by source topic", "topic");
        _retries = Registry.Counter("kafkacdc_sink_retries_total", "Batches rolled back and retried after a transient failure");
        _kafkaCommitFailures = Registry.Counter("kafkacdc_sink_kafka_commit_failures_total", "Kafka offset commits that failed after the database commit (the offsets table covers them)");
        _lag = Registry.Gauge("kafkacdc_sink_lag", "Records in the partition not yet written (high watermark minus the next offset to write)", "topic", "partition");
    }

    /// <summary>The registry rendered by <c>/metrics</c>.</summary>
    public MetricsRegistry Registry { get; }

    /// <summary>Rows written per second, recently.</summary>
    public RateMeter RowRate { get; } = new();

    /// <summary>Counts consumed records (a batch's, once it is handed to the database).</summary>
    public void RecordsConsumed(string topic, int count) => _records.Inc(count, topic);

    /// <summary>Records a committed batch.</summary>
    public void BatchCommitted(WriteCounts counts, TimeSpan duration)
    {
        foreach (var ((table, op), count) in counts.Rows) _rows.Inc(count, table, op);
        foreach (var (reason, count) in counts.Skipped) _skipped.Inc(count, reason);
        foreach (var (table, count) in counts.UnavailableAsNull) _unavailableAsNull.Inc(count, table);
        _batches.Inc();
        _batchSeconds.Inc(duration.TotalSeconds);
        _lastBatchSeconds.Set(duration.TotalSeconds);
        RowRate.Add(counts.TotalRows);
    }

    /// <summary>Counts a dead-lettered (or tolerated) record.</summary>
    public void DeadLettered(string topic) => _deadLettered.Inc(topic);

    /// <summary>Counts a retry.</summary>
    public void Retried() => _retries.Inc();

    /// <summary>Counts a failed Kafka commit.</summary>
    public void KafkaCommitFailed() => _kafkaCommitFailures.Inc();

    /// <summary>Sets a partition's lag.</summary>
    public void SetLag(string topic, int partition, long lag) => _lag.Set(lag, topic, partition.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>A rows counter value, for tests.</summary>
    public double Rows(string table, string op) => _rows.Value(table, op);

    /// <summary>The rows of <paramref name="table"/> inserted with unavailable values as NULL, for tests.</summary>
    public double UnavailableAsNull(string table) => _unavailableAsNull.Value(table);

    /// <summary>A skipped counter value, for tests.</summary>
    public double Skipped(string reason) => _skipped.Value(reason);
}
