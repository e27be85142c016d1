using KafkaCdc.SinkConnector.Monitoring;
using KafkaCdc.Tests.Shared.Metrics;

namespace KafkaCdc.Tests.SinkConnector.Support;

/// <summary>The values of a sink's counters, recorded from its start.</summary>
internal sealed class SinkMetricValues(SinkMetrics metrics) : IDisposable
{
    readonly RecordedMetrics _recorded = new(metrics.Meter.Meter,
    [
        "kafkacdc_sink_records_total", "kafkacdc_sink_rows_total", "kafkacdc_sink_batches_total", "kafkacdc_sink_skipped_records_total",
        "kafkacdc_sink_unavailable_values_as_null_total", "kafkacdc_sink_dead_letter_records_total", "kafkacdc_sink_retries_total",
        "kafkacdc_sink_kafka_commit_failures_total", "kafkacdc_sink_records_lost_total", "kafkacdc_sink_replayed_records_skipped_total",
    ], ["kafkacdc_sink_batch_seconds_total"]);

    /// <summary>Rows written to <paramref name="table"/> by <paramref name="op"/>.</summary>
    public double Rows(string table, string op) => _recorded.Total("kafkacdc_sink_rows_total", ("table", table), ("op", op));

    /// <summary>Records skipped for <paramref name="reason"/>.</summary>
    public double Skipped(string reason) => _recorded.Total("kafkacdc_sink_skipped_records_total", ("reason", reason));

    /// <summary>Rows of <paramref name="table"/> inserted with NULL for unavailable values.</summary>
    public double UnavailableAsNull(string table) => _recorded.Total("kafkacdc_sink_unavailable_values_as_null_total", ("table", table));

    /// <summary>Any counter, by name and tags.</summary>
    public double Total(string instrument, params (string Key, string Value)[] tags) => _recorded.Total(instrument, tags);

    public void Dispose() => _recorded.Dispose();
}
