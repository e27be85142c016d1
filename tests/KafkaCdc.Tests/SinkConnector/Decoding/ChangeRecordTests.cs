using Confluent.Kafka;
using KafkaCdc.Shared.ChangeEvents;
using KafkaCdc.SinkConnector.Decoding;
using KafkaCdc.SinkConnector.Errors;

namespace KafkaCdc.Tests.SinkConnector.Decoding;

/// <summary>
/// <see cref="ChangeRecord"/> stores its rarely set parts compactly (absent LSN and commit time as a sentinel, one
/// reference for the skip reason or failure, a boxed snapshot mark, the received message for the raw parts): each
/// property still reads back what was set, including the values next to the sentinel.
/// </summary>
public class ChangeRecordTests
{
    static ChangeRecord Record(long? lsn = null, long? commitTime = null, SnapshotMark? mark = null, SourcePosition? position = null,
        string? skipReason = null, Exception? failure = null, Message<byte[]?, byte[]?>? raw = null) => new()
        {
            Topic = "t",
            Partition = 0,
            Offset = 7,
            Action = RecordAction.Upsert,
            Lsn = lsn,
            CommitTime = commitTime,
            SnapshotMark = mark,
            SourcePosition = position,
            SkipReason = skipReason,
            Failure = failure,
            RawMessage = raw,
        };

    [Test]
    public void UnsetParts_ReadAsNull()
    {
        var record = Record();

        Assert.That(record.Lsn, Is.Null);
        Assert.That(record.CommitTime, Is.Null);
        Assert.That(record.SnapshotMark, Is.Null);
        Assert.That(record.SourcePosition, Is.Null);
        Assert.That(record.SkipReason, Is.Null);
        Assert.That(record.Failure, Is.Null);
        Assert.That(record.RawKey, Is.Null);
        Assert.That(record.RawValue, Is.Null);
        Assert.That(record.Headers, Is.Null);
    }

    [TestCase(0L)]
    [TestCase(-1L)]
    [TestCase(long.MinValue + 1)]
    [TestCase(long.MaxValue)]
    public void LsnAndCommitTime_ReadBackExactly(long value)
    {
        var record = Record(lsn: value, commitTime: value);

        Assert.That(record.Lsn, Is.EqualTo(value));
        Assert.That(record.CommitTime, Is.EqualTo(value));
    }

    [Test]
    public void SnapshotMarkAndPosition_ReadBack()
    {
        var mark = new SnapshotMark(42, 0x16B3748, 2, SnapshotMarkKind.HeldChange);
        var position = new SourcePosition(42, 0x16B3800, 8);

        var record = Record(mark: mark, position: position);

        Assert.That(record.SnapshotMark, Is.EqualTo(mark));
        Assert.That(record.SourcePosition, Is.EqualTo(position));
    }

    [Test]
    public void SkipReasonOrFailure_EachReadsOnlyItsOwn()
    {
        var failure = new UnwritableRecordException("bad");

        var skipped = Record(skipReason: "heartbeat");
        var failed = Record(failure: failure);

        Assert.That(skipped.SkipReason, Is.EqualTo("heartbeat"));
        Assert.That(skipped.Failure, Is.Null);
        Assert.That(failed.Failure, Is.SameAs(failure));
        Assert.That(failed.SkipReason, Is.Null);
    }

    [Test]
    public void RawParts_AreTheReceivedMessages()
    {
        var headers = new Headers { { "h", [9] } };
        var message = new Message<byte[]?, byte[]?> { Key = [1], Value = [2, 3], Headers = headers };

        var record = Record(raw: message);

        Assert.That(record.RawKey, Is.EqualTo(new byte[] { 1 }));
        Assert.That(record.RawValue, Is.EqualTo(new byte[] { 2, 3 }));
        Assert.That(record.Headers, Is.SameAs(headers));
    }
}
