using KafkaCdc.SinkConnector.Batching;
using KafkaCdc.SinkConnector.Decoding;

namespace KafkaCdc.Tests.SinkConnector.Batching;

public class PartitionBatcherTests
{
    sealed class ManualTime : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => Now;
    }

    static ChangeRecord Record(int partition, long offset, RecordAction operation = RecordAction.Upsert) =>
        new() { Topic = "t", Partition = partition, Offset = offset, Action = operation };

    static string Describe(IEnumerable<PartitionBatch> batches) =>
        string.Join(" | ", batches.Select(b => $"{b.Partition.Partition.Value}:{string.Join(",", b.Records.Select(r => r.Offset))}"));

    [Test]
    public void FullBatch_IsDueAtOnce_PerPartition()
    {
        var batcher = new PartitionBatcher(batchSize: 3, TimeSpan.FromSeconds(10), new ManualTime());
        foreach (var offset in new long[] { 0, 1, 2, 3 }) batcher.Add(Record(0, offset));
        batcher.Add(Record(1, 0));

        Assert.That(Describe(batcher.TakeDue()), Is.EqualTo("0:0,1,2"));
        Assert.That(batcher.PendingRecords, Is.EqualTo(2));
    }

    [Test]
    public void OpenBatch_IsDueOnceItsFirstRecordLingered()
    {
        var time = new ManualTime();
        var batcher = new PartitionBatcher(100, TimeSpan.FromMilliseconds(200), time);
        batcher.Add(Record(0, 0));
        time.Now += TimeSpan.FromMilliseconds(150);
        batcher.Add(Record(0, 1));
        Assert.That(batcher.TakeDue(), Is.Empty);
        Assert.That(batcher.TimeUntilDue(), Is.EqualTo(TimeSpan.FromMilliseconds(50)));

        time.Now += TimeSpan.FromMilliseconds(50);

        Assert.That(Describe(batcher.TakeDue()), Is.EqualTo("0:0,1"));
        Assert.That(batcher.TimeUntilDue(), Is.Null);
    }

    [Test]
    public void DueGroup_TakesOtherPartitionsOpenBatches_LargestFirst_WithinTheLimit_InOffsetOrder()
    {
        var batcher = new PartitionBatcher(batchSize: 4, TimeSpan.FromSeconds(10), new ManualTime());
        foreach (var offset in new long[] { 0, 1, 2, 3, 4 }) batcher.Add(Record(0, offset)); // 0..3 full and due, 4 open
        foreach (var offset in new long[] { 0, 1, 2 }) batcher.Add(Record(1, offset));
        batcher.Add(Record(2, 0));
        foreach (var offset in new long[] { 0, 1 }) batcher.Add(Record(3, offset));

        // Due: 0:0..3 (4 records). Room for 3 more of 7: partition 1's three fit; then nothing else does.
        Assert.That(Describe(batcher.TakeDueGroup(limit: 7)), Is.EqualTo("0:0,1,2,3 | 1:0,1,2"));
        Assert.That(batcher.PendingRecords, Is.EqualTo(4));
        Assert.That(batcher.TakeDueGroup(limit: 100), Is.Empty, "nothing is due: no group, however much room");

        foreach (var offset in new long[] { 5, 6, 7 }) batcher.Add(Record(0, offset)); // 4..7 full and due
        Assert.That(Describe(batcher.TakeDueGroup(limit: 100)), Is.EqualTo("0:4,5,6,7 | 3:0,1 | 2:0"));
        Assert.That(batcher.PendingRecords, Is.Zero);
    }

    [TestCase(RecordAction.Truncate)]
    [TestCase(RecordAction.Failed)]
    public void TruncateOrUndecodableRecord_CutsTheBatch_AndIsABatchOfItsOwn(RecordAction operation)
    {
        var batcher = new PartitionBatcher(100, TimeSpan.FromSeconds(10), new ManualTime());
        batcher.Add(Record(0, 0));
        batcher.Add(Record(0, 1));
        batcher.Add(Record(0, 2, operation));
        batcher.Add(Record(0, 3));

        Assert.That(Describe(batcher.TakeDue()), Is.EqualTo("0:0,1 | 0:2"));
        Assert.That(Describe(batcher.TakeAll()), Is.EqualTo("0:3"));
    }

    [Test]
    public void Revocation_TakesOnlyThosePartitions_AndLossDropsThem()
    {
        var batcher = new PartitionBatcher(100, TimeSpan.FromSeconds(10), new ManualTime());
        batcher.Add(Record(0, 5));
        batcher.Add(Record(1, 7));
        batcher.Add(Record(2, 9));

        Assert.That(Describe(batcher.TakeAll([new("t", 1)])), Is.EqualTo("1:7"));
        batcher.Drop([new("t", 2)]);
        Assert.That(batcher.PendingRecords, Is.EqualTo(1));
        Assert.That(Describe(batcher.TakeAll()), Is.EqualTo("0:5"));
    }

    [Test]
    public void Drop_ReturnsTheFirstOffsetDroppedPerPartition_ClosedBatchesFirst()
    {
        var batcher = new PartitionBatcher(2, TimeSpan.FromSeconds(10), new ManualTime());
        foreach (var offset in new long[] { 4, 5, 6 }) batcher.Add(Record(0, offset)); // 4,5 closed, 6 open
        batcher.Add(Record(1, 9));

        var dropped = batcher.Drop([new("t", 0), new("t", 1), new("t", 2)]);

        Assert.That(dropped, Is.EquivalentTo(new Dictionary<Confluent.Kafka.TopicPartition, long> { [new("t", 0)] = 4, [new("t", 1)] = 9 }));
        Assert.That(batcher.PendingRecords, Is.Zero);
        Assert.That(batcher.TakeAll(), Is.Empty);
    }

    [Test]
    public void ManyPartitions_HoldAtMostFourBatchesOfRecords_TheLargestIsCutFirst()
    {
        var batcher = new PartitionBatcher(batchSize: 10, TimeSpan.FromSeconds(10), new ManualTime());
        for (var offset = 0; offset < 9; offset++) batcher.Add(Record(0, offset));
        for (var partition = 1; partition <= 31; partition++) batcher.Add(Record(partition, 0));
        Assert.That(batcher.TakeDue(), Is.Empty, "40 records held: at the bound");

        batcher.Add(Record(32, 0));

        Assert.That(Describe(batcher.TakeDue()), Is.EqualTo("0:0,1,2,3,4,5,6,7,8"));
        Assert.That(batcher.PendingRecords, Is.EqualTo(32));
    }
}
