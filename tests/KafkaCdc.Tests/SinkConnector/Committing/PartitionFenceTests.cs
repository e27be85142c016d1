using Confluent.Kafka;
using KafkaCdc.Shared.ChangeEvents;
using KafkaCdc.SinkConnector.Committing;
using KafkaCdc.SinkConnector.Destination;

namespace KafkaCdc.Tests.SinkConnector.Committing;

/// <summary>The position rule a batch transaction applies to each partition's records, in offset order.</summary>
public class PartitionFenceTests
{
    const ulong System = 7_394_816_273_645_118_001;
    static readonly TopicPartition s_partition = new("shop_orders", 2);

    static SourcePosition At(ulong commitLsn, long change, ulong part = 0) => new(System, commitLsn, SourcePosition.OrdinalOf(change) + part);

    static PartitionFence Stored(long nextOffset, SourcePosition? source) => new(new PartitionProgress(s_partition, nextOffset, source));

    [Test]
    public void AtTransactionBoundaries_ARestartResendsWholeTransactions_AndOnlyTheNewOnesAreApplied()
    {
        var fence = Stored(10, At(200, 2));

        // The source restarted from its confirmed position (commit 100) and sends 100, 200 and then a new 300 again.
        string?[] reasons =
        [
            fence.Admit(10, At(100, 0)), fence.Admit(11, At(200, 0)), fence.Admit(12, At(200, 1)), fence.Admit(13, At(200, 2)),
            fence.Admit(14, At(300, 0)), fence.Admit(15, At(300, 1)),
        ];

        Assert.That(reasons, Is.EqualTo(new[] { "replayed", "replayed", "replayed", "replayed", null, null }));
        Assert.That(fence.Highest, Is.EqualTo(At(300, 1)));
    }

    [Test]
    public void WithinATransaction_EveryRecordOfAChangeHasItsOwnPosition()
    {
        var fence = new PartitionFence(null);

        // An update that changed the key: the delete under the old key, its tombstone, the create under the new one.
        string?[] reasons = [fence.Admit(0, At(500, 4, 0)), fence.Admit(1, At(500, 4, 1)), fence.Admit(2, At(500, 4, 2)), fence.Admit(3, At(500, 5))];

        Assert.That(reasons, Is.All.Null, "none of them is taken for a replay of the one before");
    }

    [Test]
    public void RestartMidTransaction_TheTransactionComesAgainFromItsStart_AndItsUnappliedRestIsApplied()
    {
        // The sink applied the first 3 records of transaction 700 (a batch ends inside it); the source crashed before
        // confirming 700, and sends all of 700 again after the rest of the first copy.
        var fence = Stored(3, At(700, 2));

        string?[] reasons =
        [
            fence.Admit(3, At(700, 3)), fence.Admit(4, At(700, 4)), // the rest of the first copy
            fence.Admit(5, At(700, 0)), fence.Admit(6, At(700, 1)), fence.Admit(7, At(700, 2)), fence.Admit(8, At(700, 3)), fence.Admit(9, At(700, 4)),
            fence.Admit(10, At(701, 0)),
        ];

        Assert.That(reasons, Is.EqualTo(new[] { null, null, "replayed", "replayed", "replayed", "replayed", "replayed", null }));
    }

    [Test]
    public void BelowTheRecordedOffset_AppliedAlready_WhateverThePosition()
    {
        var fence = Stored(50, At(100, 0));

        Assert.That(fence.Admit(49, At(900, 0)), Is.EqualTo("already_applied"));
        Assert.That(fence.Highest, Is.EqualTo(At(100, 0)), "a skipped record does not move the position");
    }

    [Test]
    public void RecordsWithoutAPosition_SnapshotReadsAndOtherProducers_AreAlwaysApplied_AndLeaveThePositionAlone()
    {
        var fence = Stored(0, At(100, 0));

        Assert.That(fence.Admit(0, null), Is.Null);
        Assert.That(fence.Admit(1, At(100, 0)), Is.EqualTo("replayed"));
        Assert.That(fence.Highest, Is.EqualTo(At(100, 0)));
    }

    [Test]
    public void AnotherSourceSystem_StartsThePositionOver()
    {
        var fence = Stored(0, At(1_000_000, 0));
        var restored = new SourcePosition(System + 1, 100, 0);

        Assert.That(fence.Admit(0, restored), Is.Null, "a cluster restored from a dump has lower LSNs: its changes are not replays");
        Assert.That(fence.Admit(1, restored), Is.EqualTo("replayed"));
    }

    [Test]
    public void Retract_ForgetsARecordThatWasNotApplied()
    {
        var fence = Stored(0, At(100, 0));
        var before = fence.Highest;
        Assert.That(fence.Admit(0, At(200, 0)), Is.Null);

        fence.Retract(before);

        Assert.That(fence.Admit(0, At(200, 0)), Is.Null, "retried after the fix, it is not a replay");
    }

    [Test]
    public void Progress_KeepsTheLargerOffset_AndTheHighestPosition()
    {
        var fence = Stored(40, At(100, 0));
        fence.Admit(40, At(150, 3));

        Assert.That(fence.Progress(s_partition, 30), Is.EqualTo(new PartitionProgress(s_partition, 40, At(150, 3))));
        Assert.That(fence.Progress(s_partition, 41), Is.EqualTo(new PartitionProgress(s_partition, 41, At(150, 3))));
    }
}
