using Confluent.Kafka;
using KafkaCdc.SinkConnector.Decoding;

namespace KafkaCdc.SinkConnector.Batching;

/// <summary>
/// Groups a task's records into <see cref="PartitionBatch"/>es, per partition: a batch is due when it holds
/// <c>batch.size</c> records or its first record waited <c>batch.linger.ms</c>. A truncate or an undecodable record
/// cuts the batch: the records before it form a batch that is due at once, and it is a batch of its own.
/// </summary>
/// <remarks>
/// Hand-off: the consume loop adds records and takes due batches on the task thread only, so nothing is shared. The
/// bound is <c>batch.size</c> records per partition in the open batch; closed batches are taken on the same loop
/// turn, so at most one closed batch per partition waits. Batches of a partition are taken in offset order.
/// </remarks>
public sealed class PartitionBatcher
{
    readonly int _batchSize;
    readonly TimeSpan _linger;
    readonly TimeProvider _time;
    readonly Dictionary<TopicPartition, State> _partitions = [];

    /// <summary>Creates a batcher.</summary>
    public PartitionBatcher(int batchSize, TimeSpan linger, TimeProvider? time = null)
    {
        _batchSize = batchSize;
        _linger = linger;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The records held, in open and closed batches.</summary>
    public int PendingRecords { get; private set; }

    /// <summary>Adds a record to its partition's batch.</summary>
    public void Add(ChangeRecord record)
    {
        var partition = new TopicPartition(record.Topic, record.Partition);
        if (!_partitions.TryGetValue(partition, out var state)) _partitions[partition] = state = new State();
        PendingRecords++;
        if (record.Operation is ChangeOperation.Truncate or ChangeOperation.Failed)
        {
            state.Close();
            var single = new PartitionBatch(partition, _time.GetUtcNow(), 1);
            single.Add(record);
            state.Closed.Enqueue(single);
            return;
        }

        state.Open ??= new PartitionBatch(partition, _time.GetUtcNow(), Math.Min(_batchSize, 1024));
        state.Open.Add(record);
        if (state.Open.Records.Count >= _batchSize) state.Close();
    }

    /// <summary>The batches that are due: cut, full, or lingered long enough.</summary>
    public List<PartitionBatch> TakeDue()
    {
        var now = _time.GetUtcNow();
        var due = new List<PartitionBatch>();
        foreach (var state in _partitions.Values)
        {
            if (state.Open is { } open && now - open.OpenedAt >= _linger) state.Close();
            Drain(state, due);
        }
        return due;
    }

    /// <summary>Every batch of <paramref name="partitions"/> (all partitions when null), due or not: for revocation and shutdown.</summary>
    public List<PartitionBatch> TakeAll(IEnumerable<TopicPartition>? partitions = null)
    {
        var taken = new List<PartitionBatch>();
        foreach (var (partition, state) in _partitions)
        {
            if (partitions is not null && !partitions.Contains(partition)) continue;
            state.Close();
            Drain(state, taken);
        }
        return taken;
    }

    /// <summary>Forgets the records of <paramref name="partitions"/> (lost to another member; they will be re-delivered there).</summary>
    public void Drop(IEnumerable<TopicPartition> partitions)
    {
        foreach (var partition in partitions)
        {
            if (!_partitions.Remove(partition, out var state)) continue;
            PendingRecords -= (state.Open?.Records.Count ?? 0) + state.Closed.Sum(b => b.Records.Count);
        }
    }

    /// <summary>How long until the oldest open batch lingered enough; null when nothing is pending.</summary>
    public TimeSpan? TimeUntilDue()
    {
        var now = _time.GetUtcNow();
        TimeSpan? earliest = null;
        foreach (var state in _partitions.Values)
        {
            if (state.Closed.Count > 0) return TimeSpan.Zero;
            if (state.Open is { } open)
            {
                var left = open.OpenedAt + _linger - now;
                if (earliest is null || left < earliest) earliest = left;
            }
        }
        return earliest is { } value && value < TimeSpan.Zero ? TimeSpan.Zero : earliest;
    }

    void Drain(State state, List<PartitionBatch> into)
    {
        while (state.Closed.TryDequeue(out var batch))
        {
            PendingRecords -= batch.Records.Count;
            into.Add(batch);
        }
    }

    sealed class State
    {
        public PartitionBatch? Open { get; set; }

        public Queue<PartitionBatch> Closed { get; } = new();

        public void Close()
        {
            if (Open is null) return;
            Closed.Enqueue(Open);
            Open = null;
        }
    }
}
