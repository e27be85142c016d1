using System.Runtime.InteropServices;
using Confluent.Kafka;
using KafkaCdc.SinkConnector.Batching;
using KafkaCdc.SinkConnector.Configuration;
using KafkaCdc.SinkConnector.Monitoring;
using Microsoft.Extensions.Logging;

namespace KafkaCdc.SinkConnector.Consuming;

/// <summary>
/// One task's watch for records the broker deleted (retention, <c>DeleteRecords</c>) before the task read them: a gap
/// between a partition's next offset and its log start, which the destination cannot recover from by itself. With
/// <c>errors.offset.gap=stop</c> the topic's table stops (<see cref="TableStops.StopAtGap"/>) with an error naming the
/// partition and the lost range; with <c>skip</c> the partition carries on from the log start, and the records skipped
/// are logged, counted (<c>kafkacdc_sink_records_lost_total</c>) and shown in <c>/status</c>.
/// </summary>
/// <remarks>
/// <para>Detection: the task knows each partition's next offset (from the offsets table or the group's committed offset
/// at assignment, then each record consumed). When the broker no longer holds it, librdkafka resets the fetch position
/// (<c>auto.offset.reset</c>, the log start by default) with only a warning of its own, so the next record arrives
/// past the expected offset. A jump alone is no gap (compaction and transaction markers leave holes in the offsets):
/// it is one when the expected offset is below the partition's log start (the low watermark, as the last fetch
/// reported it). librdkafka's <c>auto.offset.reset=error</c> was not used: it stops fetching the partition, and under the
/// eager rebalance protocol only a new <c>Assign</c> of every partition restarts it (<c>Seek</c> fails with
/// <c>Local: Erroneous state</c>).</para>
/// <para>A partition without a stored offset (a new group) starts where <c>auto.offset.reset</c> says and has no
/// expected offset until its first record: that is no gap. Records deleted up to the end of the log show only when a
/// later record arrives; until then nothing of the partition is applied or committed.</para>
/// <para>Used on the task thread only (every call takes the consumer or runs in the consume loop).</para>
/// </remarks>
internal sealed class OffsetGaps
{
    static readonly TimeSpan s_watermarkTimeout = TimeSpan.FromSeconds(10);

    readonly int _taskId;
    readonly SinkOptions _options;
    readonly SinkMetrics _metrics;
    readonly ILogger _logger;
    readonly Dictionary<(string Topic, int Partition), long> _next = [];
    readonly List<OffsetGapSnapshot> _skipped = [];

    /// <summary>Watches the partitions of task <paramref name="taskId"/>.</summary>
    public OffsetGaps(int taskId, SinkOptions options, SinkMetrics metrics, ILogger logger)
    {
        _taskId = taskId;
        _options = options;
        _metrics = metrics;
        _logger = logger;
    }

    /// <summary>The ranges skipped so far (<c>errors.offset.gap=skip</c>), for <c>/status</c>.</summary>
    public IReadOnlyList<OffsetGapSnapshot> Skipped => _skipped;

    /// <summary>
    /// Newly assigned partitions: each is expected to continue at <paramref name="resumed"/>'s offset (the offsets
    /// table's), else at <paramref name="committed"/>'s (the group's); one with neither is a new start, not expected anywhere.
    /// </summary>
    public void Assign(IReadOnlyList<TopicPartitionOffset> resumed, IReadOnlyList<TopicPartitionOffset> committed)
    {
        foreach (var offset in committed.Concat(resumed).Where(o => !o.Offset.IsSpecial)) _next[(offset.Topic, offset.Partition.Value)] = offset.Offset.Value;
    }

    /// <summary>Forgets partitions given up (revoked or lost).</summary>
    public void Forget(IEnumerable<TopicPartition> partitions)
    {
        foreach (var partition in partitions) _next.Remove((partition.Topic, partition.Partition.Value));
    }

    /// <summary>
    /// Checks a record consumed (of a partition not paused) against its partition's expected offset.
    /// </summary>
    /// <returns>
    /// Whether to apply the record: false when records before it were deleted unread and the table stopped (the
    /// partition is held at the first lost offset), or when the partition is sought back to its log start to skip the gap.
    /// </returns>
    public bool Accept(ConsumeResult<byte[]?, byte[]?> result, IReadOnlyCollection<TopicPartition> assigned, TableStops stops, PartitionBatcher batcher,
        TaskStatusReporter status, IConsumer<byte[]?, byte[]?> consumer)
    {
        var key = (result.Topic, result.Partition.Value);
        var offset = result.Offset.Value;
        // Every record passes here: one dictionary lookup on the usual path.
        ref var next = ref CollectionsMarshal.GetValueRefOrAddDefault(_next, key, out var known);
        var expected = next;
        if (!known || offset <= expected)
        {
            next = offset + 1;
            return true;
        }
        var partition = result.TopicPartition;
        if (LogStart(partition, consumer) is not { } low || expected >= low)
        {
            // A hole the log keeps (compaction, transaction markers): nothing was deleted.
            _next[key] = offset + 1;
            return true;
        }

        var lost = low - expected;
        var what = $"records {expected} to {low - 1} of {partition.Topic}/{partition.Partition.Value} ({lost} records) were deleted by the broker " +
            $"(retention or DeleteRecords) before the sink read them: the log now starts at {low}";
        if (_options.OffsetGap == OffsetGapHandling.Skip)
        {
            Log.OffsetGapSkipped(_logger, _taskId, partition.Topic, partition.Partition.Value, expected, low, lost, what);
            _metrics.RecordsLost(partition.Topic, partition.Partition.Value, lost);
            _skipped.Add(new OffsetGapSnapshot(partition.Topic, partition.Partition.Value, expected, low, lost, DateTimeOffset.UtcNow));
            status.LastError = $"skipped {what} (errors.offset.gap=skip)";
            if (offset == low)
            {
                _next[key] = offset + 1;
                return true;
            }
            // librdkafka jumped further than the log start (auto.offset.reset=latest): read what the log still holds.
            _next[key] = low;
            consumer.Seek(new TopicPartitionOffset(partition, low));
            return false;
        }

        var table = _options.TableNameFormat.UsesSource ? null : _options.TableNameFormat.Render(partition.Topic, null, null);
        var reason = $"{what}; the destination lacks their changes, so nothing of the topic is written from here on (errors.offset.gap=stop). " +
            "To recover, re-snapshot the source table (the source's execute-snapshot signal), then restart the sink with errors.offset.gap=skip " +
            "to carry on from the log start; or set errors.offset.gap=skip to accept the loss";
        if (stops.StopAtGap(partition, expected, table, reason, assigned, batcher, consumer) is { } paused)
        {
            var name = table ?? $"of topic {partition.Topic}";
            Log.TableStoppedAtGap(_logger, _taskId, name, partition.Topic, partition.Partition.Value, expected, low, lost, reason,
                string.Join(", ", paused.Select(p => $"{p.Topic}/{p.Partition.Value}")));
            status.LastError = $"table {name} stopped at {partition.Topic}/{partition.Partition.Value}/{expected}: {reason}";
        }
        return false;
    }

    /// <summary>The partition's log start: as the last fetch reported it, else asked of the broker; null when unknown.</summary>
    long? LogStart(TopicPartition partition, IConsumer<byte[]?, byte[]?> consumer)
    {
        try
        {
            var cached = consumer.GetWatermarkOffsets(partition);
            if (cached is { Low.IsSpecial: false }) return cached.Low.Value;
            var queried = consumer.QueryWatermarkOffsets(partition, s_watermarkTimeout);
            return queried.Low.IsSpecial ? null : queried.Low.Value;
        }
        catch (KafkaException e)
        {
            // The broker cannot say now; the jump is taken as a hole (a gap would also show as the lag and in the destination).
            Log.ConsumeError(_logger, _taskId, e.Error.Code, $"reading the log start of {partition.Topic}/{partition.Partition.Value} failed: {e.Error.Reason}");
            return null;
        }
    }
}
