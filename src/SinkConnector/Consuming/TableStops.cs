using Confluent.Kafka;
using KafkaCdc.SinkConnector.Applying;
using KafkaCdc.SinkConnector.Batching;
using KafkaCdc.SinkConnector.DeadLetters;
using KafkaCdc.SinkConnector.Monitoring;

namespace KafkaCdc.SinkConnector.Consuming;

/// <summary>
/// One task's stopped tables: a record that cannot be written (<c>errors.tolerance=none</c>), or records deleted by the
/// broker before the task read them (<c>errors.offset.gap=stop</c>, <see cref="StopAtGap"/>), stop its table, that is
/// every partition of its topic this task holds (the same topic goes to the same table). Those partitions are paused and
/// positioned at their first record not applied (the failing record, for its partition), so nothing past it is
/// consumed, applied or committed; the task's other partitions keep flowing. A restart resumes at the failing record.
/// </summary>
/// <remarks>
/// Used on the task thread only (every call takes the consumer, which only that thread may call). A stop lasts until
/// the process ends or its failing partition is revoked or lost (<see cref="Forget"/>): the partition's next owner reads
/// it again from the committed offset, the failing record, and stops the table by itself if it still cannot be written.
/// </remarks>
internal sealed class TableStops
{
    readonly Dictionary<string, StoppedTable> _byTopic = new(StringComparer.Ordinal);
    readonly Dictionary<TopicPartition, long?> _paused = [];

    /// <summary>How many tables are stopped.</summary>
    public int Count => _byTopic.Count;

    /// <summary>Whether <paramref name="partition"/> is paused because its table stopped.</summary>
    public bool IsPaused(TopicPartition partition) => _paused.Count > 0 && _paused.ContainsKey(partition);

    /// <summary>
    /// Stops the tables <paramref name="outcome"/> could not write: pauses their partitions in <paramref name="assigned"/>,
    /// drops their records still in <paramref name="batcher"/>, and holds each partition at its first record not applied.
    /// </summary>
    /// <returns>The tables stopped now (not those stopped before), each with its paused partitions, to be logged once.</returns>
    public List<(RecordFailure Failure, List<TopicPartition> Paused)> Stop(FlushOutcome outcome, IReadOnlyCollection<TopicPartition> assigned,
        PartitionBatcher batcher, IConsumer<byte[]?, byte[]?> consumer)
    {
        var stopped = new List<(RecordFailure, List<TopicPartition>)>();
        foreach (var failure in outcome.Stops)
        {
            var isNew = Stop(failure, assigned, consumer);
            var paused = _byTopic[failure.Record.Topic].Partitions.ToList();
            foreach (var (partition, offset) in batcher.Drop(paused)) Hold(partition, offset, consumer);
            if (isNew) stopped.Add((failure, paused));
        }
        foreach (var batch in outcome.NotApplied) Hold(batch.Partition, batch.Records[0].Offset, consumer);
        return stopped;
    }

    /// <summary><paramref name="batches"/> without those of paused partitions, which are held at their first record instead.</summary>
    public List<PartitionBatch> WithoutPaused(List<PartitionBatch> batches, IConsumer<byte[]?, byte[]?> consumer)
    {
        var kept = new List<PartitionBatch>(batches.Count);
        foreach (var batch in batches)
        {
            if (IsPaused(batch.Partition)) Hold(batch.Partition, batch.Records[0].Offset, consumer);
            else kept.Add(batch);
        }
        return kept;
    }

    /// <summary>
    /// Stops the table of <paramref name="partition"/>'s topic because records from <paramref name="next"/> on were
    /// deleted by the broker before the task read them: pauses every partition of the topic in <paramref name="assigned"/>,
    /// drops their records still in <paramref name="batcher"/> and holds <paramref name="partition"/> at
    /// <paramref name="next"/>, so nothing past the gap is applied or committed.
    /// </summary>
    /// <returns>The partitions paused, or null when the table was stopped already (the partition is only held then).</returns>
    public List<TopicPartition>? StopAtGap(TopicPartition partition, long next, string? table, string reason, IReadOnlyCollection<TopicPartition> assigned,
        PartitionBatcher batcher, IConsumer<byte[]?, byte[]?> consumer)
    {
        var isNew = Stop(table, new TopicPartitionOffset(partition, next), reason, assigned, consumer);
        var paused = _byTopic[partition.Topic].Partitions.ToList();
        foreach (var (batched, offset) in batcher.Drop(paused)) Hold(batched, offset, consumer);
        return isNew ? paused : null;
    }

    /// <summary>
    /// Stops the table of <paramref name="failure"/>: pauses every partition of its topic in <paramref name="assigned"/>
    /// and positions the failing one at the failing record.
    /// </summary>
    /// <returns>Whether the table was running until now (a second failure of a stopped topic only holds its partition).</returns>
    bool Stop(RecordFailure failure, IEnumerable<TopicPartition> assigned, IConsumer<byte[]?, byte[]?> consumer) =>
        Stop(failure.Record.Table, failure.Record.Position, failure.Exception.Message, assigned, consumer);

    bool Stop(string? table, TopicPartitionOffset failing, string reason, IEnumerable<TopicPartition> assigned, IConsumer<byte[]?, byte[]?> consumer)
    {
        var topic = failing.Topic;
        var isNew = !_byTopic.TryGetValue(topic, out var stop);
        if (stop is null)
        {
            stop = new StoppedTable(table, failing, reason, DateTimeOffset.UtcNow);
            _byTopic.Add(topic, stop);
        }
        var pausing = assigned.Where(p => p.Topic == topic && !_paused.ContainsKey(p)).ToList();
        if (!pausing.Contains(failing.TopicPartition) && !_paused.ContainsKey(failing.TopicPartition)) pausing.Add(failing.TopicPartition);
        if (pausing.Count > 0) consumer.Pause(pausing);
        foreach (var partition in pausing)
        {
            _paused.Add(partition, null);
            stop.Partitions.Add(partition);
        }
        Hold(failing.TopicPartition, failing.Offset.Value, consumer);
        return isNew;
    }

    /// <summary>
    /// A record of paused <paramref name="partition"/> at <paramref name="offset"/> is not applied (dropped from the
    /// batcher, left out of a group, or fetched before the pause): the partition's position goes back to it unless an
    /// earlier record is held already, so that nothing is skipped if the partition resumes in this process.
    /// </summary>
    public void Hold(TopicPartition partition, long offset, IConsumer<byte[]?, byte[]?> consumer)
    {
        if (!_paused.TryGetValue(partition, out var held)) return;
        var first = held is { } earlier && earlier < offset ? earlier : offset;
        _paused[partition] = first;
        // The consumer has read past the record: seek even when the held position does not change.
        consumer.Seek(new TopicPartitionOffset(partition, first));
    }

    /// <summary>
    /// Forgets <paramref name="partitions"/> (revoked or lost) and resumes them before they go, so that no pause outlives
    /// the assignment. A stop whose failing partition goes is forgotten, and its other partitions resume from their held
    /// position.
    /// </summary>
    public void Forget(IReadOnlyCollection<TopicPartition> partitions, IConsumer<byte[]?, byte[]?>? consumer)
    {
        if (_paused.Count == 0) return;
        var resuming = new List<TopicPartition>();
        foreach (var (topic, stop) in _byTopic.ToList())
        {
            var failingGoes = partitions.Contains(stop.Failing.TopicPartition);
            foreach (var partition in stop.Partitions.ToList())
            {
                if (!failingGoes && !partitions.Contains(partition)) continue;
                stop.Partitions.Remove(partition);
                _paused.Remove(partition);
                resuming.Add(partition);
            }
            if (failingGoes) _byTopic.Remove(topic);
        }
        if (resuming.Count > 0) consumer?.Resume(resuming);
    }

    /// <summary>The stopped tables for <c>/status</c>.</summary>
    public IReadOnlyList<StoppedTableSnapshot> Snapshots() =>
    [
        .. _byTopic.Values.Select(s => new StoppedTableSnapshot(s.Table, s.Failing.Topic, s.Failing.Partition.Value, s.Failing.Offset.Value, s.Reason, s.Since,
            [.. s.Partitions.Select(p => p.Partition.Value).Order()])),
    ];

    sealed class StoppedTable(string? table, TopicPartitionOffset failing, string reason, DateTimeOffset since)
    {
        public string? Table { get; } = table;

        public TopicPartitionOffset Failing { get; } = failing;

        public string Reason { get; } = reason;

        public DateTimeOffset Since { get; } = since;

        public HashSet<TopicPartition> Partitions { get; } = [];
    }
}
