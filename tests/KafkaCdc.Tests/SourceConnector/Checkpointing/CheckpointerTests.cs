using KafkaCdc.SourceConnector.Checkpointing;
using NpgsqlTypes;

namespace KafkaCdc.Tests.SourceConnector.Checkpointing;

/// <summary>
/// The one rule of the source: the LSN goes to PostgreSQL only after Kafka acknowledged every record of the
/// transaction and of all earlier ones, and only after the offsets topic stored it.
/// </summary>
public class CheckpointerTests
{
    readonly List<string> _calls = [];
    readonly List<Exception> _failures = [];

    [SetUp]
    public void Clear()
    {
        _calls.Clear();
        _failures.Clear();
    }

    static NpgsqlLogSequenceNumber Lsn(ulong value) => new(value);

    Checkpointer Create(ulong stored = 100) => new(Lsn(stored), new RecordingOffsets(_calls), new RecordingSlot(_calls), _failures.Add);

    [Test]
    public async Task Checkpoint_TransactionWithUnacknowledgedRecords_ConfirmsNothingNew()
    {
        var checkpointer = Create();
        var transaction = checkpointer.Begin(1, Lsn(190));
        Checkpointer.Produced(transaction);
        Checkpointer.Produced(transaction);
        Checkpointer.Committed(transaction, Lsn(200));
        Checkpointer.Delivered(transaction);

        await checkpointer.CheckpointAsync(CancellationToken.None);

        Assert.That(checkpointer.ConfirmableLsn, Is.EqualTo(Lsn(100)));
        Assert.That(_calls, Is.EqualTo(new[] { "slot 100" }), "only the stored start position is confirmed");
    }

    [Test]
    public async Task Checkpoint_AllRecordsAcknowledged_StoresTheOffsetThenConfirmsToPostgres()
    {
        var checkpointer = Create();
        var transaction = checkpointer.Begin(1, Lsn(190));
        Checkpointer.Produced(transaction);
        Checkpointer.Committed(transaction, Lsn(200));
        Checkpointer.Delivered(transaction);

        var confirmed = await checkpointer.CheckpointAsync(CancellationToken.None);

        Assert.That(confirmed, Is.EqualTo(Lsn(200)));
        Assert.That(_calls, Is.EqualTo(new[] { "offsets 200", "slot 200" }), "offsets topic first, then PostgreSQL");
        Assert.That((checkpointer.StoredLsn, checkpointer.ConfirmedLsn), Is.EqualTo((Lsn(200), Lsn(200))));
    }

    [Test]
    public void Confirmable_LaterTransactionAcknowledgedFirst_WaitsForTheEarlierOne()
    {
        var checkpointer = Create();
        var first = checkpointer.Begin(1, Lsn(190));
        Checkpointer.Produced(first);
        Checkpointer.Committed(first, Lsn(200));
        var second = checkpointer.Begin(2, Lsn(290));
        Checkpointer.Produced(second);
        Checkpointer.Committed(second, Lsn(300));

        Checkpointer.Delivered(second);
        Assert.That(checkpointer.ConfirmableLsn, Is.EqualTo(Lsn(100)), "the second is done, the first is not");

        Checkpointer.Delivered(first);
        Assert.That(checkpointer.ConfirmableLsn, Is.EqualTo(Lsn(300)), "both done");
    }

    [Test]
    public void Confirmable_AcknowledgedButNotCommitted_DoesNotAdvance()
    {
        var checkpointer = Create();
        var transaction = checkpointer.Begin(1, Lsn(190));
        Checkpointer.Produced(transaction);
        Checkpointer.Delivered(transaction);

        Assert.That(checkpointer.ConfirmableLsn, Is.EqualTo(Lsn(100)), "more records of the transaction may still come");
    }

    [Test]
    public void Confirmable_TransactionWithoutRecords_AdvancesOnCommit()
    {
        var checkpointer = Create();
        var transaction = checkpointer.Begin(1, Lsn(190));
        Checkpointer.Committed(transaction, Lsn(200));

        Assert.That(checkpointer.ConfirmableLsn, Is.EqualTo(Lsn(200)), "changes of tables that are not captured still move the position");
    }

    [Test]
    public void AdvanceIfIdle_NothingInFlight_FollowsTheWalEnd()
    {
        var checkpointer = Create();

        Assert.That(checkpointer.AdvanceIfIdle(Lsn(500)), Is.True);
        Assert.That(checkpointer.ConfirmableLsn, Is.EqualTo(Lsn(500)));
        Assert.That(checkpointer.AdvanceIfIdle(Lsn(400)), Is.False, "never backwards");
    }

    [Test]
    public void AdvanceIfIdle_TransactionOpen_DoesNotMove()
    {
        var checkpointer = Create();
        var transaction = checkpointer.Begin(1, Lsn(190));

        Assert.That(checkpointer.AdvanceIfIdle(Lsn(500)), Is.False);
        Checkpointer.Committed(transaction, Lsn(200));
        Assert.That(checkpointer.AdvanceIfIdle(Lsn(500)), Is.True, "once the transaction is done");
    }

    [Test]
    public async Task DeliveryFailed_ReportsTheFailureAndNeverConfirmsPastTheTransaction()
    {
        var checkpointer = Create();
        var failed = checkpointer.Begin(1, Lsn(190));
        Checkpointer.Produced(failed);
        Checkpointer.Committed(failed, Lsn(200));
        var later = checkpointer.Begin(2, Lsn(290));
        Checkpointer.Produced(later);
        Checkpointer.Committed(later, Lsn(300));
        Checkpointer.Delivered(later);

        checkpointer.DeliveryFailed(failed, new InvalidOperationException("broker said no"));
        await checkpointer.CheckpointAsync(CancellationToken.None);

        Assert.That(_failures.Single().Message, Is.EqualTo("broker said no"));
        Assert.That(checkpointer.ConfirmableLsn, Is.EqualTo(Lsn(100)));
        Assert.That(checkpointer.AdvanceIfIdle(Lsn(1000)), Is.False, "the failed transaction stays in flight");
    }

    [Test]
    public async Task Checkpoint_OffsetWriteFails_PostgresIsNotTold()
    {
        var checkpointer = new Checkpointer(Lsn(100), new FailingOffsets(), new RecordingSlot(_calls), _failures.Add);
        var transaction = checkpointer.Begin(1, Lsn(190));
        Checkpointer.Committed(transaction, Lsn(200));

        Assert.That(() => checkpointer.CheckpointAsync(CancellationToken.None), Throws.InstanceOf<IOException>());
        Assert.That(_calls, Is.Empty);
        Assert.That(checkpointer.StoredLsn, Is.EqualTo(Lsn(100)));
        await Task.CompletedTask;
    }

    [Test]
    public async Task Checkpoint_ConcurrentAcknowledgements_ConfirmsExactlyTheLastTransaction()
    {
        var checkpointer = Create(0);
        var transactions = Enumerable.Range(1, 200).Select(i =>
        {
            var transaction = checkpointer.Begin(i, Lsn((ulong)i * 10 - 1));
            for (var r = 0; r < 50; r++) Checkpointer.Produced(transaction);
            Checkpointer.Committed(transaction, Lsn((ulong)i * 10));
            return transaction;
        }).ToList();

        await Task.WhenAll(Enumerable.Range(0, 4).Select(worker => Task.Run(() =>
        {
            foreach (var transaction in transactions)
                for (var r = worker; r < 50; r += 4) Checkpointer.Delivered(transaction);
        })));
        await checkpointer.CheckpointAsync(CancellationToken.None);

        Assert.That(checkpointer.ConfirmedLsn, Is.EqualTo(Lsn(2000)));
        Assert.That(checkpointer.OpenTransactions, Is.Zero);
    }

    sealed class RecordingOffsets(List<string> calls) : IOffsetWriter
    {
        public Task WriteAsync(NpgsqlLogSequenceNumber lsn, CancellationToken cancellationToken)
        {
            calls.Add($"offsets {(ulong)lsn}");
            return Task.CompletedTask;
        }
    }

    sealed class FailingOffsets : IOffsetWriter
    {
        public Task WriteAsync(NpgsqlLogSequenceNumber lsn, CancellationToken cancellationToken) => Task.FromException(new IOException("Kafka is down"));
    }

    sealed class RecordingSlot(List<string> calls) : ISlotFeedback
    {
        public Task<bool> ConfirmAsync(NpgsqlLogSequenceNumber lsn, CancellationToken cancellationToken)
        {
            calls.Add($"slot {(ulong)lsn}");
            return Task.FromResult(true);
        }
    }
}
