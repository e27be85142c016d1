using KafkaCdc.SourceConnector.Checkpointing;
using KafkaCdc.SourceConnector.Replication;
using NpgsqlTypes;

namespace KafkaCdc.Tests.SourceConnector.Replication;

/// <summary>Where a session starts, and when it refuses to, from the stored offset and the slot.</summary>
public class StartPositionTests
{
    const string Slot = "kafkacdc_slot";
    const string Database = "shop";

    static SourceOffset Offset(ulong lsn, string slot = Slot, string database = Database) =>
        new(new NpgsqlLogSequenceNumber(lsn).ToString(), slot, "kafkacdc_pub", database, DateTimeOffset.UtcNow);

    static SlotInfo SlotAt(ulong confirmed, string plugin = "pgoutput", string database = Database) =>
        new(Slot, plugin, database, false, null, new NpgsqlLogSequenceNumber(confirmed));

    static StartDecision Decide(SourceOffset? stored, SlotInfo? slot) => StartPosition.Decide(stored, slot, "orders", Slot, Database, "offsets");

    [Test]
    public void Decide_NoOffsetNoSlot_CreatesTheSlot() =>
        Assert.That(Decide(null, null).Action, Is.EqualTo(StartAction.CreateSlot));

    [Test]
    public void Decide_NoOffsetExistingSlot_StartsAtTheSlotsPosition() =>
        Assert.That(Decide(null, SlotAt(500)), Is.EqualTo(new StartDecision(StartAction.AdoptSlot, new NpgsqlLogSequenceNumber(500))));

    [Test]
    public void Decide_OffsetAheadOfSlot_ResumesAtTheOffset() =>
        Assert.That(Decide(Offset(700), SlotAt(500)), Is.EqualTo(new StartDecision(StartAction.Resume, new NpgsqlLogSequenceNumber(700))));

    [Test]
    public void Decide_OffsetEqualToSlot_Resumes() =>
        Assert.That(Decide(Offset(500), SlotAt(500)), Is.EqualTo(new StartDecision(StartAction.Resume, new NpgsqlLogSequenceNumber(500))));

    [Test]
    public void Decide_ProgressButNoSlot_RefusesNamingTheGapAndTheRemedy()
    {
        var decision = Decide(Offset(700), null);

        Assert.That(decision.Action, Is.EqualTo(StartAction.Refuse));
        Assert.That(decision.Reason, Does.Contain("no longer exists").And.Contain("0/2BC").And.Contain("upgrade").And.Contain("reset-offsets"));
    }

    [Test]
    public void Decide_SlotAheadOfOffset_RefusesAsRecreated()
    {
        var decision = Decide(Offset(700), SlotAt(900));

        Assert.That(decision.Action, Is.EqualTo(StartAction.Refuse));
        Assert.That(decision.Reason, Does.Contain("recreated").And.Contain("0/2BC").And.Contain("0/384").And.Contain("reset-offsets"));
    }

    [Test]
    public void Decide_OffsetOfAnotherSlot_Refuses() =>
        Assert.That(Decide(Offset(700, slot: "old_slot"), SlotAt(500)).Reason, Does.Contain("'old_slot'").And.Contain(Slot));

    [Test]
    public void Decide_SlotOfAnotherPlugin_Refuses() =>
        Assert.That(Decide(null, SlotAt(500, plugin: "test_decoding")).Reason, Does.Contain("test_decoding"));

    [Test]
    public void Decide_SlotOfAnotherDatabase_Refuses() =>
        Assert.That(Decide(null, SlotAt(500, database: "other")).Action, Is.EqualTo(StartAction.Refuse));
}
