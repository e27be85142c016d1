using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using KafkaCdc.Shared.Metrics;

namespace KafkaCdc.SinkConnector.Monitoring;

/// <summary>
/// The sink's metrics (<c>GET /metrics</c>), instruments of the worker's <see cref="ConnectorMeter"/>, and the rows/s
/// meter of <c>/status</c>. Thread-safe.
/// </summary>
public sealed class SinkMetrics : IDisposable
{
    readonly Counter<long> _records;
    readonly Counter<long> _rows;
    readonly Counter<long> _batches;
    readonly Counter<double> _batchSeconds;
    readonly Counter<long> _skipped;
    readonly Counter<long> _unavailableAsNull;
    readonly Counter<long> _deadLettered;
    readonly Counter<long> _retries;
    readonly Counter<long> _kafkaCommitFailures;
    readonly Counter<long> _recordsLost;
    readonly Counter<long> _replayed;
    readonly ConcurrentDictionary<(string Table, string Reason), long> _skippedOfTable = new();
    readonly ConcurrentDictionary<(string Topic, int Partition), long> _lag = new();
    readonly ConcurrentDictionary<int, int> _stoppedTables = new();
    double _lastBatchSeconds;

    /// <summary>Creates the instruments on a meter of the sink named <paramref name="connectorName"/>.</summary>
    public SinkMetrics(string connectorName)
    {
        Meter = new ConnectorMeter("sink", connectorName);
        var m = Meter.Meter;
        _records = m.CreateCounter<long>("kafkacdc_sink_records_total", description: "Records consumed and handed to the database in batches");
        _rows = m.CreateCounter<long>("kafkacdc_sink_rows_total", description: "Rows written, by table and operation (upsert, insert, delete, soft_delete, truncate; snapshot_reset: 1 per table emptied because its initial snapshot started over)");
        _batches = m.CreateCounter<long>("kafkacdc_sink_batches_total", description: "Batch transactions committed (one may hold batches of several partitions)");
        _batchSeconds = m.CreateCounter<double>("kafkacdc_sink_batch_seconds_total",
            description: "Time spent applying committed batches (divide by kafkacdc_sink_batches_total for the mean latency)");
        m.CreateObservableGauge("kafkacdc_sink_last_batch_seconds", () => Volatile.Read(ref _lastBatchSeconds), description: "How long the last committed batch took");
        _skipped = m.CreateCounter<long>("kafkacdc_sink_skipped_records_total",
            description: "Records not written, by reason (delete_disabled, truncate_disabled, before_truncate, already_applied, replayed, stale_snapshot, held_by_snapshot, heartbeat...)");
        _unavailableAsNull = m.CreateCounter<long>("kafkacdc_sink_unavailable_values_as_null_total",
            description: "Rows inserted whose unchanged-TOAST placeholders had no stored value to keep, so those columns were written as NULL");
        _deadLettered = m.CreateCounter<long>("kafkacdc_sink_dead_letter_records_total", description: "Records sent to the dead-letter topic (or skipped without one), by source topic");
        _retries = m.CreateCounter<long>("kafkacdc_sink_retries_total", description: "Batches rolled back and retried after a transient failure");
        _kafkaCommitFailures = m.CreateCounter<long>("kafkacdc_sink_kafka_commit_failures_total",
            description: "Kafka offset commits that failed after the database commit (the offsets table covers them)");
        _recordsLost = m.CreateCounter<long>("kafkacdc_sink_records_lost_total",
            description: "Records the broker deleted before the sink read them and the sink skipped (errors.offset.gap=skip), by topic and partition");
        _replayed = m.CreateCounter<long>("kafkacdc_sink_replayed_records_skipped_total",
            description: "Records the source sent again and the sink skipped, by table and reason: replayed (after a source crash: source position at or before " +
                "the highest applied), stale_snapshot (a row of an earlier attempt of the table's initial snapshot), held_by_snapshot (a streamed change " +
                "whose effect the rows of the table's snapshot attempt hold)");
        m.CreateObservableGauge("kafkacdc_sink_stopped_tables", () => _stoppedTables.Values.Sum(),
            description: "Tables whose partitions are paused because a record of theirs cannot be written (errors.tolerance=none) or records of their topic were deleted unread (errors.offset.gap=stop), over all tasks");
        m.CreateObservableGauge("kafkacdc_sink_lag", ObserveLag, description: "Records in the partition not yet written (high watermark minus the next offset to write)");
    }

    /// <summary>The meter <c>/metrics</c> exports.</summary>
    public ConnectorMeter Meter { get; }

    /// <summary>Rows written per second, recently.</summary>
    public RateMeter RowRate { get; } = new();

    /// <summary>Counts consumed records (a batch's, once it is handed to the database).</summary>
    public void RecordsConsumed(string topic, int count) => _records.Add(count, new KeyValuePair<string, object?>("topic", topic));

    /// <summary>Records a committed batch.</summary>
    public void BatchCommitted(WriteCounts counts, TimeSpan duration)
    {
        foreach (var ((table, op), count) in counts.Rows) _rows.Add(count, new("table", table), new("op", op));
        foreach (var (reason, count) in counts.Skipped) _skipped.Add(count, new KeyValuePair<string, object?>("reason", reason));
        foreach (var (table, count) in counts.UnavailableAsNull) _unavailableAsNull.Add(count, new KeyValuePair<string, object?>("table", table));
        foreach (var ((table, reason), count) in counts.SkippedOfTable)
        {
            _replayed.Add(count, new("table", table), new("reason", reason));
            _skippedOfTable.AddOrUpdate((table, reason), count, (_, total) => total + count);
        }
        _batches.Add(1);
        _batchSeconds.Add(duration.TotalSeconds);
        Volatile.Write(ref _lastBatchSeconds, duration.TotalSeconds);
        RowRate.Add(counts.TotalRows);
    }

    /// <summary>Records skipped as the source's replays (by source position) since the start, per table (for <c>/status</c>).</summary>
    public IReadOnlyDictionary<string, long> ReplayedSkipped =>
        new SortedDictionary<string, long>(_skippedOfTable.Where(s => s.Key.Reason == "replayed").ToDictionary(s => s.Key.Table, s => s.Value), StringComparer.Ordinal);

    /// <summary>
    /// Records of the source's initial snapshot attempts skipped since the start, per table and reason
    /// (<c>stale_snapshot</c>, <c>held_by_snapshot</c>; for <c>/status</c>).
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, long>> SnapshotSkipped =>
        new SortedDictionary<string, IReadOnlyDictionary<string, long>>(
            _skippedOfTable.Where(s => s.Key.Reason != "replayed").GroupBy(s => s.Key.Table).ToDictionary(
                g => g.Key, g => (IReadOnlyDictionary<string, long>)new SortedDictionary<string, long>(g.ToDictionary(s => s.Key.Reason, s => s.Value), StringComparer.Ordinal)),
            StringComparer.Ordinal);

    /// <summary>Counts a dead-lettered (or tolerated) record.</summary>
    public void DeadLettered(string topic) => _deadLettered.Add(1, new KeyValuePair<string, object?>("topic", topic));

    /// <summary>Counts a retry.</summary>
    public void Retried() => _retries.Add(1);

    /// <summary>Counts a failed Kafka commit.</summary>
    public void KafkaCommitFailed() => _kafkaCommitFailures.Add(1);

    /// <summary>Counts <paramref name="count"/> records of a partition skipped because the broker had deleted them.</summary>
    public void RecordsLost(string topic, int partition, long count) =>
        _recordsLost.Add(count, new("topic", topic), new("partition", partition.ToString(CultureInfo.InvariantCulture)));

    /// <summary>Sets a partition's lag.</summary>
    public void SetLag(string topic, int partition, long lag) => _lag[(topic, partition)] = lag;

    /// <summary>Sets how many tables task <paramref name="taskId"/> has stopped.</summary>
    public void SetStoppedTables(int taskId, int count) => _stoppedTables[taskId] = count;

    /// <inheritdoc />
    public void Dispose() => Meter.Dispose();

    IEnumerable<Measurement<long>> ObserveLag() =>
        _lag.Select(p => new Measurement<long>(p.Value, new("topic", p.Key.Topic), new("partition", p.Key.Partition.ToString(CultureInfo.InvariantCulture))));
}
