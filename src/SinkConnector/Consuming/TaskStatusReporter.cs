using Confluent.Kafka;
using KafkaCdc.SinkConnector.Applying;
using KafkaCdc.SinkConnector.Monitoring;

namespace KafkaCdc.SinkConnector.Consuming;

/// <summary>
/// One task's part of <c>/status</c> and of the lag and stopped-tables metrics: its state word, its last error, per
/// assigned partition the next offset written, the high watermark, the lag and whether it is paused, and the tables it
/// stopped (<see cref="TableStops"/>) and the gaps it skipped (<see cref="OffsetGaps"/>), published as a whole <see cref="TaskSnapshot"/>.
/// </summary>
/// <remarks>
/// <see cref="Set"/> and <see cref="Refresh"/> run on the task thread (they call the consumer); <see cref="OnRetrying"/>
/// runs on the flush's thread and only changes the state word and the last error of the snapshot last published.
/// </remarks>
internal sealed class TaskStatusReporter
{
    static readonly TimeSpan s_interval = TimeSpan.FromSeconds(1);

    readonly int _id;
    readonly SinkStatus _status;
    readonly SinkMetrics _metrics;
    readonly PartitionOffsets _offsets;
    readonly TableStops _stops;
    readonly OffsetGaps _gaps;
    volatile string _state = "starting";
    volatile string? _lastError;
    volatile TaskSnapshot? _published;
    DateTime _publishedAt;

    /// <summary>Reports task <paramref name="id"/>'s state into <paramref name="status"/>.</summary>
    public TaskStatusReporter(int id, SinkStatus status, SinkMetrics metrics, PartitionOffsets offsets, TableStops stops, OffsetGaps resets)
    {
        _stops = stops;
        _gaps = resets;
        _id = id;
        _status = status;
        _metrics = metrics;
        _offsets = offsets;
    }

    /// <summary>Whether the last snapshot is a second old or more (the task thread refreshes it then).</summary>
    public bool IsDue => DateTime.UtcNow - _publishedAt >= s_interval;

    /// <summary>The last error, shown until another replaces it.</summary>
    public string? LastError
    {
        set => _lastError = value;
    }

    /// <summary>Publishes the current state again, with fresh offsets and watermarks.</summary>
    public void Refresh(IConsumer<byte[]?, byte[]?>? consumer) => Set(_state, consumer);

    /// <summary>Publishes <paramref name="state"/> with every assigned partition's offsets, watermarks and lag.</summary>
    public void Set(string state, IConsumer<byte[]?, byte[]?>? consumer)
    {
        _state = state;
        _publishedAt = DateTime.UtcNow;
        var assigned = _offsets.Assigned;
        var partitions = new List<PartitionSnapshot>(assigned.Count);
        foreach (var partition in assigned.OrderBy(p => p.Topic, StringComparer.Ordinal).ThenBy(p => p.Partition.Value))
        {
            var next = _offsets.NextOffset(partition);
            long? high = null;
            try
            {
                var watermarks = consumer?.GetWatermarkOffsets(partition);
                if (watermarks is { High.IsSpecial: false }) high = watermarks.High.Value;
                if (next is null && consumer?.Position(partition) is { IsSpecial: false } position) next = position.Value;
            }
            catch (Exception e) when (e is KafkaException or ObjectDisposedException)
            {
                // Not fetched yet, or the consumer is closed (a failed task reports its state last): lag unknown.
            }
            long? lag = high is { } h && next is { } n ? Math.Max(0, h - n) : null;
            if (lag is { } known) _metrics.SetLag(partition.Topic, partition.Partition.Value, known);
            partitions.Add(new PartitionSnapshot(partition.Topic, partition.Partition.Value, next, high, lag, _stops.IsPaused(partition)));
        }
        _metrics.SetStoppedTables(_id, _stops.Count);
        _status.Update(_published = new TaskSnapshot(_id, state, partitions, _lastError, _stops.Snapshots(), [.. _gaps.Skipped]));
    }

    /// <summary>
    /// The flusher's <see cref="BatchFlusher.Retrying"/>, raised on the flush's thread: only the state word
    /// (and the last error) changes there; the partitions are the task thread's business.
    /// </summary>
    public void OnRetrying(string? error)
    {
        if (error is not null) _lastError = error;
        _state = error is null ? "running" : "retrying";
        if (_published is { } published) _status.Update(_published = published with { State = _state, LastError = _lastError });
    }
}
