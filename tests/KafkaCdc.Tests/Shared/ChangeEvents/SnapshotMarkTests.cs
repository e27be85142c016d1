using KafkaCdc.Shared.ChangeEvents;

namespace KafkaCdc.Tests.Shared.ChangeEvents;

public class SnapshotMarkTests
{
    const ulong System = 7_394_816_273_645_118_001;

    [Test]
    public void Bytes_RoundTrip()
    {
        var mark = new SnapshotMark(System, 0x1_6B37_48A0, 3, SnapshotMarkKind.HeldChange);

        Assert.That(SnapshotMark.TryRead(mark.Write(), out var read), Is.True);
        Assert.That(read, Is.EqualTo(mark));
    }

    [Test]
    public void ByteLayout_SystemSnapshotAttemptKind_BigEndian()
    {
        var bytes = new SnapshotMark(0x0102_0304_0506_0708, 0x1_6B37_48A0, 0x0A0B_0C0D, SnapshotMarkKind.Read).Write();

        Assert.That(bytes, Is.EqualTo(new byte[]
        {
            1, 2, 3, 4, 5, 6, 7, 8,
            0, 0, 0, 1, 0x6B, 0x37, 0x48, 0xA0,
            0x0A, 0x0B, 0x0C, 0x0D,
            0,
        }));
        Assert.That(new SnapshotMark(System, 1, 1, SnapshotMarkKind.HeldChange).Write()[20], Is.EqualTo(1));
    }

    [TestCase(0)]
    [TestCase(20)]
    [TestCase(22)]
    [TestCase(24)]
    public void TryRead_RefusesAnyOtherLength_NamingIt(int length)
    {
        Assert.That(SnapshotMark.TryRead(new byte[length], out _, out var error), Is.False);
        Assert.That(error, Is.EqualTo($"header kafkacdc.snapshot is {length} bytes, not 21 (system identifier, snapshot LSN, attempt, kind)"));
    }

    [Test]
    public void TryRead_RefusesAnUnknownKind_NamingIt()
    {
        var bytes = new SnapshotMark(System, 1, 1, SnapshotMarkKind.Read).Write();
        bytes[20] = 7;

        Assert.That(SnapshotMark.TryRead(bytes, out _, out var error), Is.False);
        Assert.That(error, Does.StartWith("header kafkacdc.snapshot has kind 7, not 0"));
    }
}
