using KafkaCdc.Shared.ChangeEvents;
using KafkaCdc.SinkConnector.Committing;
using KafkaCdc.SinkConnector.Destination;

namespace KafkaCdc.Tests.SinkConnector.Committing;

/// <summary>The snapshot-attempt rule a batch transaction applies to each destination table before applying its records.</summary>
public class SnapshotFenceTests
{
    const ulong System = 7_394_816_273_645_118_001;
    const ulong Snapshot = 0x1_6B37_4800;
    const string Table = "orders";

    static SnapshotMark Read(uint attempt, ulong snapshot = Snapshot) => new(System, snapshot, attempt, SnapshotMarkKind.Read);

    static SnapshotMark Held(uint attempt, ulong snapshot = Snapshot) => new(System, snapshot, attempt, SnapshotMarkKind.HeldChange);

    static Dictionary<string, SnapshotAttempt> Stored(uint attempt, ulong snapshot = Snapshot) => new() { [Table] = new SnapshotAttempt(System, snapshot, attempt) };

    static SnapshotFence Observing(params SnapshotMark[] marks)
    {
        var fence = new SnapshotFence();
        foreach (var mark in marks) fence.Observe(Table, mark);
        return fence;
    }

    [Test]
    public void NoStoredRow_TheBatchAttemptIsStored_WithoutAReset_AndItsRowsAreApplied()
    {
        var fence = Observing(Read(1), Read(1));

        var decision = fence.Decide(new Dictionary<string, SnapshotAttempt>())[Table];

        Assert.That(decision, Is.EqualTo(new SnapshotDecision(new SnapshotAttempt(System, Snapshot, 1), null, Record: true, Reset: false)));
        Assert.That(fence.Admit(Table, Read(1)), Is.Null);
    }

    [Test]
    public void AnotherSnapshotStored_TheNewOneIsStored_WithoutAReset_EvenAtAHigherAttempt()
    {
        var fence = Observing(Read(3, snapshot: Snapshot + 0x100));

        var decision = fence.Decide(Stored(1))[Table];

        Assert.That(decision.Record, Is.True);
        Assert.That(decision.Reset, Is.False, "no row of the new snapshot was ever applied");
        Assert.That(decision.Current, Is.EqualTo(new SnapshotAttempt(System, Snapshot + 0x100, 3)));
        Assert.That(fence.Admit(Table, Read(1)), Is.Null, "a late record of the old snapshot is applied, as before");
    }

    [Test]
    public void SameAttemptStored_NothingChanges_ReadsAreApplied_HeldChangesSkipped()
    {
        var fence = Observing(Read(2), Held(2));

        var decision = fence.Decide(Stored(2))[Table];

        Assert.That(decision, Is.EqualTo(new SnapshotDecision(new SnapshotAttempt(System, Snapshot, 2), new SnapshotAttempt(System, Snapshot, 2), Record: false, Reset: false)));
        Assert.That(fence.Admit(Table, Read(2)), Is.Null);
        Assert.That(fence.Admit(Table, Held(2)), Is.EqualTo(SnapshotFence.HeldBySnapshot));
    }

    [Test]
    public void NewerAttempt_ResetsTheTable_AndIsStored()
    {
        var fence = Observing(Read(2));

        var decision = fence.Decide(Stored(1))[Table];

        Assert.That(decision, Is.EqualTo(new SnapshotDecision(new SnapshotAttempt(System, Snapshot, 2), new SnapshotAttempt(System, Snapshot, 1), Record: true, Reset: true)));
        Assert.That(fence.Admit(Table, Read(2)), Is.Null);
    }

    [Test]
    public void OlderAttempt_ItsReadsAndHeldChangesAreStale()
    {
        var fence = Observing(Read(1), Held(1));

        var decision = fence.Decide(Stored(2))[Table];

        Assert.That(decision.Record, Is.False);
        Assert.That(decision.Current.Attempt, Is.EqualTo(2u));
        Assert.That(fence.Admit(Table, Read(1)), Is.EqualTo(SnapshotFence.StaleSnapshot));
        Assert.That(fence.Admit(Table, Held(1)), Is.EqualTo(SnapshotFence.StaleSnapshot));
    }

    [Test]
    public void MixedBatchAcrossPartitions_AnAttempt1RowBeforeAnAttempt2Row_IsStale_BecauseTheDecisionComesFirst()
    {
        // Partition 0's batch (attempt 1, late) comes before partition 1's (attempt 2) in the same transaction.
        var fence = Observing(Read(1), Read(1), Read(2), Held(2));

        var decision = fence.Decide(Stored(1))[Table];

        Assert.That(decision.Reset, Is.True);
        Assert.That(new[] { fence.Admit(Table, Read(1)), fence.Admit(Table, Read(1)), fence.Admit(Table, Read(2)), fence.Admit(Table, Held(2)) },
            Is.EqualTo(new[] { SnapshotFence.StaleSnapshot, SnapshotFence.StaleSnapshot, null, SnapshotFence.HeldBySnapshot }));
    }

    [Test]
    public void MixedBatch_NoStoredRow_TheHighestAttemptWins_WithoutAReset()
    {
        var fence = Observing(Read(1), Read(2));

        var decision = fence.Decide(new Dictionary<string, SnapshotAttempt>())[Table];

        Assert.That((decision.Current.Attempt, decision.Reset), Is.EqualTo((2u, false)));
        Assert.That(fence.Admit(Table, Read(1)), Is.EqualTo(SnapshotFence.StaleSnapshot), "the attempt-1 row is not applied beside attempt 2's");
    }

    [Test]
    public void TheLastMarkNamesTheSnapshot_AndItsHighestAttemptAnywhereInTheBatchCounts()
    {
        var newer = Snapshot + 0x100;
        var fence = Observing(Read(3, newer), Read(1), Read(2, newer));

        var decision = fence.Decide(Stored(1))[Table];

        Assert.That(decision.Current, Is.EqualTo(new SnapshotAttempt(System, newer, 3)));
        Assert.That(fence.Admit(Table, Read(2, newer)), Is.EqualTo(SnapshotFence.StaleSnapshot));
        Assert.That(fence.Admit(Table, Read(1)), Is.Null, "another snapshot's mark: applied, as before");
    }

    [Test]
    public void AnotherSystem_IsAnotherSnapshot()
    {
        var fence = new SnapshotFence();
        fence.Observe(Table, new SnapshotMark(System + 1, Snapshot, 1, SnapshotMarkKind.Read));

        var decision = fence.Decide(Stored(2))[Table];

        Assert.That((decision.Record, decision.Reset, decision.Current.System), Is.EqualTo((true, false, System + 1)));
    }

    [Test]
    public void TablesAreDecidedEachOnTheirOwn()
    {
        var fence = new SnapshotFence();
        fence.Observe("a", Read(2));
        fence.Observe("b", Read(1));

        var decisions = fence.Decide(new Dictionary<string, SnapshotAttempt> { ["a"] = new(System, Snapshot, 1), ["b"] = new(System, Snapshot, 2) });

        Assert.That((decisions["a"].Reset, decisions["b"].Reset), Is.EqualTo((true, false)));
        Assert.That((fence.Admit("a", Read(1)), fence.Admit("b", Read(1))), Is.EqualTo(((string?)SnapshotFence.StaleSnapshot, (string?)SnapshotFence.StaleSnapshot)));
        Assert.That(fence.Admit("c", Read(1)), Is.Null, "a table without marks in the transaction is not fenced");
    }
}
