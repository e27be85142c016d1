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
/// bound is four times <c>batch.size</c> records over all partitions: beyond it the largest open batch is cut (with many
/// partitions, lingering batches of all of them would otherwise hold <c>batch.size</c> records each). Closed batches
/// are taken on the same loop turn, together with open batches of other partitions up to <c>batch.size</c> records
/// (<see cref="TakeDueGroup"/>), so that one transaction applies several partitions' batches. Batches of a partition are
/// taken in offset order.
/// </remarks>
public sealed class PartitionBatcher
{
    readonly int _batchSize;
    readonly TimeSpan _linger;
    readonly TimeProvider _time;
    readonly Dictionary<TopicPartition, State> _partitions = [];
    int _closedBatches;
    DateTimeOffset _earliestDeadline = DateTimeOffset.MaxValue;

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
        if (record.Action is RecordAction.Truncate or RecordAction.Failed)
        {
            Close(state);
            var single = new PartitionBatch(partition, _time.GetUtcNow(), 1);
            single.Add(record);
            state.Closed.Enqueue(single);
            _closedBatches++;
            return;
        }

        if (state.Open is null)
        {
            state.Open = new PartitionBatch(partition, _time.GetUtcNow(), Math.Min(_batchSize, 1024));
            if (state.Open.OpenedAt + _linger < _earliestDeadline) _earliestDeadline = state.Open.OpenedAt + _linger;
        }
        state.Open.Add(record);
        if (state.Open.Records.Count >= _batchSize) Close(state);
        else if (PendingRecords > 4L * _batchSize) CloseLargest();
    }

    void CloseLargest()
    {
        State? largest = null;
        foreach (var candidate in _partitions.Values)
        {
            if (candidate.Open is { } open && (largest is null || open.Records.Count > largest.Open!.Records.Count)) largest = candidate;
        }
        if (largest is not null) Close(largest);
    }

    /// <summary>The batches that are due: cut, full, or lingered long enough.</summary>
    /// <remarks>Cheap when nothing is due (called once per consumed record): no partition is visited then.</remarks>
    public List<PartitionBatch> TakeDue()
    {
        var now = _time.GetUtcNow();
        if (_closedBatches == 0 && now < _earliestDeadline) return [];
        var due = new List<PartitionBatch>();
        _earliestDeadline = DateTimeOffset.MaxValue;
        foreach (var state in _partitions.Values)
        {
            if (state.Open is { } open)
            {
                if (now - open.OpenedAt >= _linger) Close(state);
                else if (open.OpenedAt + _linger < _earliestDeadline) _earliestDeadline = open.OpenedAt + _linger;
            }
            Drain(state, due);
        }
        return due;
    }

    /// <summary>
    /// The due batches (<see cref="TakeDue"/>) and, when there are any, the open batches of other partitions that fit
    /// with them in <paramref name="limit"/> records, largest first: what one transaction applies. A partition's batches
    /// stay in offset order (its open batch only follows its closed ones).
    /// </summary>
    public List<PartitionBatch> TakeDueGroup(int limit)
    {
        var group = TakeDue();
        if (group.Count == 0) return group;
        long total = 0;
        foreach (var batch in group) total += batch.Records.Count;
        while (total < limit)
        {
            State? largest = null;
            foreach (var state in _partitions.Values)
            {
                if (state.Open is { } open && total + open.Records.Count <= limit && (largest is null || open.Records.Count > largest.Open!.Records.Count))
                    largest = state;
            }
            if (largest is null) break;
            total += largest.Open!.Records.Count;
            Close(largest);
            Drain(largest, group);
        }
        return group;
    }

    /// <summary>Every batch of <paramref name="partitions"/> (all partitions when null), due or not: for revocation and shutdown.</summary>
    public List<PartitionBatch> TakeAll(IEnumerable<TopicPartition>? partitions = null)
    {
        var taken = new List<PartitionBatch>();
        foreach (var (partition, state) in _partitions)
        {
            if (partitions is not null && !partitions.Contains(partition)) continue;
            Close(state);
            Drain(state, taken);
        }
        return taken;
    }

    /// <summary>
    /// Forgets the records of <paramref name="partitions"/>, never to apply them: lost to another member (they will be
    /// re-delivered there), or of a stopped table (they will be read again after a restart).
    /// </summary>
    /// <returns>The offset of the first record dropped, per partition that had any.</returns>
    public Dictionary<TopicPartition, long> Drop(IEnumerable<TopicPartition> partitions)
    {
        var firstDropped = new Dictionary<TopicPartition, long>();
        foreach (var partition in partitions)
        {
            if (!_partitions.Remove(partition, out var state)) continue;
            PendingRecords -= (state.Open?.Records.Count ?? 0) + state.Closed.Sum(b => b.Records.Count);
            _closedBatches -= state.Closed.Count;
            var first = state.Closed.Count > 0 ? state.Closed.Peek() : state.Open;
            if (first is { Records.Count: > 0 }) firstDropped[partition] = first.Records[0].Offset;
        }
        return firstDropped;
    }

    /// <summary>How long until the oldest open batch lingered enough; null when nothing is pending.</summary>
    public TimeSpan? TimeUntilDue()
    {
        if (_closedBatches > 0) return TimeSpan.Zero;
        if (_earliestDeadline == DateTimeOffset.MaxValue) return _partitions.Values.Any(s => s.Open is not null) ? TimeSpan.Zero : null;
        var left = _earliestDeadline - _time.GetUtcNow();
        return left < TimeSpan.Zero ? TimeSpan.Zero : left;
    }

    void Close(State state)
    {
        if (state.Open is null) return;
        state.Closed.Enqueue(state.Open);
        state.Open = null;
        _closedBatches++;
    }

    void Drain(State state, List<PartitionBatch> into)
    {
        while (state.Closed.TryDequeue(out var batch))
        {
            PendingRecords -= batch.Records.Count;
            _closedBatches--;
            into.Add(batch);
        }
    }

    sealed class State
    {
        public PartitionBatch? Open { get; set; }

        public Queue<PartitionBatch> Closed { get; } = new();
    }
}
