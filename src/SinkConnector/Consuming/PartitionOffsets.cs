using Confluent.Kafka;
using KafkaCdc.SinkConnector.Committing;
using KafkaCdc.SinkConnector.Monitoring;
using Microsoft.Extensions.Logging;

namespace KafkaCdc.SinkConnector.Consuming;

/// <summary>
/// One task's commit tracking: its assigned partitions, the next offset of each that the database holds (the lag in
/// <c>/status</c>), and the offsets the database holds but the Kafka group does not yet.
/// </summary>
/// <remarks>
/// Hand-off: the flush reports each database commit through <see cref="IKafkaOffsetCommit.Commit"/> on a pool thread
/// (under the lock, nothing else); the task thread commits to Kafka in <see cref="CatchUp"/>, which is the only place
/// the consumer is called. A failed Kafka commit is logged, counted and tried again at the next catch-up: the offsets
/// table already holds the truth.
/// </remarks>
internal sealed class PartitionOffsets : IKafkaOffsetCommit
{
    readonly HashSet<TopicPartition> _assigned = [];
    readonly Dictionary<TopicPartition, long> _applied = [];
    readonly Dictionary<TopicPartition, long> _kafkaBehind = [];
    readonly object _lock = new();
    readonly SinkMetrics _metrics;
    readonly ILogger _logger;

    /// <summary>Tracks the offsets of a task logging to <paramref name="logger"/>.</summary>
    public PartitionOffsets(SinkMetrics metrics, ILogger logger)
    {
        _metrics = metrics;
        _logger = logger;
    }

    /// <summary>The assigned partitions (read and changed on the task thread only).</summary>
    public IReadOnlyCollection<TopicPartition> Assigned => _assigned;

    /// <summary>Called by the flush (on a pool thread) once the database committed: Kafka's commit follows on the task's thread.</summary>
    void IKafkaOffsetCommit.Commit(TopicPartitionOffset offset)
    {
        lock (_lock)
        {
            _applied[offset.TopicPartition] = offset.Offset.Value;
            _kafkaBehind[offset.TopicPartition] = offset.Offset.Value;
        }
    }

    /// <summary>
    /// Adds newly assigned <paramref name="partitions"/>: where each stands (<paramref name="resumed"/> from the offsets
    /// table, <paramref name="committed"/> from Kafka) for the lag until its first batch commits, and the resumed ones
    /// as owed to Kafka.
    /// </summary>
    public void Assign(IEnumerable<TopicPartition> partitions, IReadOnlyList<TopicPartitionOffset> resumed, IReadOnlyList<TopicPartitionOffset> committed)
    {
        lock (_lock)
        {
            foreach (var partition in partitions) _assigned.Add(partition);
            foreach (var offset in resumed.Concat(committed).Where(o => !o.Offset.IsSpecial))
                _applied[offset.TopicPartition] = Math.Max(offset.Offset.Value, _applied.GetValueOrDefault(offset.TopicPartition));
            foreach (var offset in resumed.Where(o => !o.Offset.IsSpecial)) _kafkaBehind[offset.TopicPartition] = offset.Offset.Value;
        }
    }

    /// <summary>Forgets partitions given up (revoked or lost).</summary>
    public void Forget(IEnumerable<TopicPartition> partitions)
    {
        lock (_lock)
        {
            foreach (var partition in partitions)
            {
                _assigned.Remove(partition);
                _applied.Remove(partition);
                _kafkaBehind.Remove(partition);
            }
        }
    }

    /// <summary>The next offset the database holds for <paramref name="partition"/>, or null before its first commit of this assignment.</summary>
    public long? NextOffset(TopicPartition partition)
    {
        lock (_lock) return _applied.TryGetValue(partition, out var applied) ? applied : null;
    }

    /// <summary>
    /// Commits to Kafka the offsets the database already holds but Kafka does not (a commit that failed during a
    /// rebalance, a partition resumed from the offsets table), so Kafka's view of the group catches up. Best effort: the
    /// offsets table stays the truth whatever happens here.
    /// </summary>
    public void CatchUp(IConsumer<byte[]?, byte[]?>? consumer)
    {
        List<TopicPartitionOffset> due;
        lock (_lock)
        {
            due = [.. _kafkaBehind.Where(p => _assigned.Contains(p.Key)).Select(p => new TopicPartitionOffset(p.Key, p.Value))];
            foreach (var stale in _kafkaBehind.Keys.Where(p => !_assigned.Contains(p)).ToList()) _kafkaBehind.Remove(stale);
        }
        if (due.Count == 0) return;
        try
        {
            consumer!.Commit(due);
            lock (_lock)
            {
                foreach (var offset in due)
                {
                    if (_kafkaBehind.GetValueOrDefault(offset.TopicPartition) == offset.Offset.Value) _kafkaBehind.Remove(offset.TopicPartition);
                }
            }
        }
        catch (KafkaException e)
        {
            Log.KafkaCommitFailed(_logger, due[0].Topic, due[0].Partition.Value, due[0].Offset.Value, e.Error.Code, e.Error.Reason);
            _metrics.KafkaCommitFailed();
        }
    }

    /// <summary><see cref="CatchUp"/> while the task stops for another reason, which is what gets reported.</summary>
    public void CatchUpQuietly(IConsumer<byte[]?, byte[]?>? consumer)
    {
        try
        {
            CatchUp(consumer);
        }
        catch (Exception e) when (e is KafkaException or ObjectDisposedException or InvalidOperationException)
        {
            // The task stops for another reason; the offsets table holds what Kafka may lack.
            _ = e;
        }
    }
}
