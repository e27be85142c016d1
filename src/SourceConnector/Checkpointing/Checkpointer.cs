using NpgsqlTypes;

namespace KafkaCdc.SourceConnector.Checkpointing;

/// <summary>
/// The one owner of the source's delivery rule: <b>the LSN confirmed to PostgreSQL advances past a transaction only
/// once Kafka has acknowledged every record of it and of all earlier transactions</b>, and only after the offsets
/// topic stored that LSN. Order of truth: Kafka has the data, then the offsets topic has the LSN, then PostgreSQL
/// is told; so the slot's <c>confirmed_flush_lsn</c> never passes the stored offset, and a crash at any point
/// re-sends rather than loses.
/// </summary>
/// <remarks>
/// <para>One instance per replication session. Transactions are registered in stream order by the reader
/// (<see cref="Begin"/>, before it reads the next message), counted by the publisher (<see cref="Produced"/> before
/// each produce, <see cref="Committed"/> after the transaction's last record), and counted down by delivery reports
/// (<see cref="Delivered"/>, <see cref="DeliveryFailed"/>). <see cref="CheckpointAsync"/> runs about once a second.</para>
/// <para>An idle stream carries no transactions, only keepalives whose WAL end follows the server's WAL while other
/// databases write. <see cref="AdvanceIfIdle"/> lets the confirmable position follow that end when nothing is in
/// flight. It is safe because the caller reads the WAL end <em>before</em> calling: the walsender sends a keepalive
/// only after every change before its position, and the reader registers each transaction before asking for the
/// next message, so a transaction below that position is either registered (and in flight or done) or already past.</para>
/// <para>A failed delivery leaves its transaction pending forever, so nothing past it is confirmed; the session is
/// told through the failure callback and restarts from the stored offset (or stops, if the failure is permanent).</para>
/// </remarks>
internal sealed class Checkpointer
{
    readonly object _lock = new();
    readonly Queue<TransactionProgress> _open = new();
    readonly SemaphoreSlim _checkpointGate = new(1, 1);
    readonly IOffsetWriter _offsets;
    readonly ISlotFeedback _slot;
    readonly Action<Exception> _onDeliveryFailure;
    NpgsqlLogSequenceNumber _confirmable;
    long _stored;
    long _confirmed;

    /// <summary>Creates the checkpointer of a session starting at <paramref name="storedLsn"/>.</summary>
    /// <param name="storedLsn">The LSN in the offsets topic, where the session's stream starts.</param>
    /// <param name="offsets">Stores an LSN in the offsets topic.</param>
    /// <param name="slot">Confirms an LSN to PostgreSQL.</param>
    /// <param name="onDeliveryFailure">Called (on librdkafka's thread) when a record could not be delivered.</param>
    public Checkpointer(NpgsqlLogSequenceNumber storedLsn, IOffsetWriter offsets, ISlotFeedback slot, Action<Exception> onDeliveryFailure)
    {
        _confirmable = storedLsn;
        _stored = (long)(ulong)storedLsn;
        _offsets = offsets;
        _slot = slot;
        _onDeliveryFailure = onDeliveryFailure;
    }

    /// <summary>The LSN last written to the offsets topic.</summary>
    public NpgsqlLogSequenceNumber StoredLsn => new((ulong)Interlocked.Read(ref _stored));

    /// <summary>The LSN last confirmed to PostgreSQL in this session (0 before the first checkpoint).</summary>
    public NpgsqlLogSequenceNumber ConfirmedLsn => new((ulong)Interlocked.Read(ref _confirmed));

    /// <summary>Transactions begun and not yet completely delivered.</summary>
    public int OpenTransactions
    {
        get
        {
            lock (_lock)
            {
                Drain();
                return _open.Count;
            }
        }
    }

    /// <summary>
    /// The highest LSN that may be stored and confirmed: the end of the last transaction that, with all earlier ones,
    /// is committed and fully acknowledged (or the idle position, see <see cref="AdvanceIfIdle"/>).
    /// </summary>
    public NpgsqlLogSequenceNumber ConfirmableLsn
    {
        get
        {
            lock (_lock)
            {
                Drain();
                return _confirmable;
            }
        }
    }

    /// <summary>Registers a transaction at its BEGIN. Reader thread, before it reads the next message.</summary>
    public TransactionProgress Begin(long? transactionId, NpgsqlLogSequenceNumber commitLsn)
    {
        var transaction = new TransactionProgress(transactionId, commitLsn);
        lock (_lock) _open.Enqueue(transaction);
        return transaction;
    }

    /// <summary>Counts a record of <paramref name="transaction"/> about to be produced. Publisher thread, before producing.</summary>
    public static void Produced(TransactionProgress transaction) => transaction.AddPending();

    /// <summary>Counts down a record Kafka acknowledged. Delivery-report thread.</summary>
    public static void Delivered(TransactionProgress transaction) => transaction.RemovePending();

    /// <summary>
    /// A record of <paramref name="transaction"/> was not delivered: the transaction never completes, so nothing from
    /// it on is confirmed in this session, and the session learns of <paramref name="failure"/>.
    /// </summary>
    public void DeliveryFailed(TransactionProgress transaction, Exception failure) => _onDeliveryFailure(failure);

    /// <summary>Marks the transaction's record count final: the publisher has produced all of it. Publisher thread.</summary>
    public static void Committed(TransactionProgress transaction, NpgsqlLogSequenceNumber endLsn) => transaction.MarkCommitted(endLsn);

    /// <summary>
    /// When nothing is in flight (no transaction begun and not completely delivered), moves the confirmable position
    /// up to <paramref name="walEnd"/>, the WAL end last reported on the replication connection, read <em>before</em>
    /// this call. Returns whether it moved.
    /// </summary>
    public bool AdvanceIfIdle(NpgsqlLogSequenceNumber walEnd)
    {
        lock (_lock)
        {
            Drain();
            if (_open.Count > 0 || walEnd <= _confirmable) return false;
            _confirmable = walEnd;
            return true;
        }
    }

    /// <summary>
    /// Stores the confirmable LSN in the offsets topic and, once Kafka acknowledged it, confirms it to PostgreSQL.
    /// Does nothing when it has not moved since the last checkpoint.
    /// </summary>
    /// <returns>The LSN confirmed, or null when there was nothing new.</returns>
    public async Task<NpgsqlLogSequenceNumber?> CheckpointAsync(CancellationToken cancellationToken)
    {
        await _checkpointGate.WaitAsync(cancellationToken);
        try
        {
            var lsn = ConfirmableLsn;
            if (lsn > StoredLsn)
            {
                await _offsets.WriteAsync(lsn, cancellationToken);
                Interlocked.Exchange(ref _stored, (long)(ulong)lsn);
            }
            var stored = StoredLsn;
            if (stored <= ConfirmedLsn) return null;
            if (!await _slot.ConfirmAsync(stored, cancellationToken)) return null;
            Interlocked.Exchange(ref _confirmed, (long)(ulong)stored);
            return stored;
        }
        finally
        {
            _checkpointGate.Release();
        }
    }

    /// <summary>Drops the completed transactions at the head of the queue, moving the confirmable position past them.</summary>
    void Drain()
    {
        while (_open.TryPeek(out var head) && head.IsCommitted && head.Pending == 0)
        {
            _open.Dequeue();
            head.OnDrained?.Invoke();
            if (head.EndLsn > _confirmable) _confirmable = head.EndLsn;
        }
    }
}
