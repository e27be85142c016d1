using KafkaCdc.Shared.ChangeEvents;

namespace KafkaCdc.Tests.Shared.ChangeEvents;

public class SourcePositionTests
{
    const ulong System = 7_394_816_273_645_118_001;

    [Test]
    public void Bytes_RoundTrip_BigEndian()
    {
        var position = new SourcePosition(System, 0x1_6B37_48A0, 9);

        var bytes = position.ToBytes();

        Assert.That(bytes, Has.Length.EqualTo(SourcePosition.Size));
        Assert.That(bytes[8..16], Is.EqualTo(new byte[] { 0, 0, 0, 1, 0x6B, 0x37, 0x48, 0xA0 }), "the commit LSN, big-endian");
        Assert.That(SourcePosition.TryRead(bytes, out var read), Is.True);
        Assert.That(read, Is.EqualTo(position));
    }

    [TestCase(0)]
    [TestCase(23)]
    [TestCase(25)]
    public void TryRead_RefusesAnyOtherLength(int length) =>
        Assert.That(SourcePosition.TryRead(new byte[length], out _), Is.False);

    [Test]
    public void ComparingTheBytes_ComparesThePositions()
    {
        SourcePosition[] ordered =
        [
            new(System, 0xFF, 400), new(System, 0x100, 0), new(System, 0x100, 1), new(System, 0x100, 2), new(System, 0x1_0000_0000, 0),
        ];
        var byBytes = ordered.Reverse().OrderBy(p => Convert.ToHexString(p.ToBytes()), StringComparer.Ordinal);
        Assert.That(byBytes, Is.EqualTo(ordered), "consumers may compare the header's bytes");
    }

    [Test]
    public void AtOrBefore_InCommitOrder_ThenOrdinalWithinTheTransaction()
    {
        var transaction = new SourcePosition(System, 5000, 8);

        Assert.Multiple(() =>
        {
            Assert.That(transaction.IsAtOrBefore(transaction), Is.True, "the same record");
            Assert.That(transaction.IsAtOrBefore(transaction with { Ordinal = 9 }), Is.True, "a later record of the transaction");
            Assert.That(transaction.IsAtOrBefore(transaction with { Ordinal = 7 }), Is.False, "an earlier record of the transaction");
            // A transaction that committed later but started earlier has changes at lower LSNs: only the commit LSN orders transactions.
            Assert.That(transaction.IsAtOrBefore(new SourcePosition(System, 5001, 0)), Is.True, "the next transaction's first record");
            Assert.That(new SourcePosition(System, 5001, 0).IsAtOrBefore(transaction), Is.False);
        });
    }

    [Test]
    public void PositionsOfAnotherSystem_AreNeverAtOrBefore()
    {
        var other = new SourcePosition(System + 1, 1, 0);

        Assert.That(other.IsAtOrBefore(new SourcePosition(System, 9999, 0)), Is.False);
        Assert.That(new SourcePosition(System, 1, 0).IsAtOrBefore(other with { CommitLsn = 9999 }), Is.False);
    }

    [Test]
    public void Ordinals_LeaveRoomForTheRecordsOfOneChange()
    {
        Assert.That(SourcePosition.OrdinalOf(0), Is.Zero);
        Assert.That(SourcePosition.OrdinalOf(3), Is.EqualTo(12), "a change's delete, tombstone and create under a new key take 12, 13 and 14");
    }

    [Test]
    public void ToString_ShowsTheLsnAsPostgreSqlWritesIt() =>
        Assert.That(new SourcePosition(42, 0x1_6B37_48A0, 3).ToString(), Is.EqualTo("42/1/6B3748A0/3"));
}
