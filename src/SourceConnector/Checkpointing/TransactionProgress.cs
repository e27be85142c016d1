using NpgsqlTypes;

namespace KafkaCdc.SourceConnector.Checkpointing;

/// <summary>
/// The delivery state of one source transaction (or one snapshot chunk), owned by <see cref="Checkpointer"/>: how many of its records Kafka
/// has not acknowledged yet, and whether the publisher has seen its commit (so the count is final).
/// </summary>
/// <remarks>
/// Created by the reader at BEGIN (reader thread), counted up by the publisher before each produce (publisher thread),
/// counted down by delivery reports (librdkafka's thread), completed by the publisher at COMMIT.
/// </remarks>
internal sealed class TransactionProgress
{
    int _pending;
    int _committed;
    long _endLsn;

    internal TransactionProgress(long? transactionId, NpgsqlLogSequenceNumber commitLsn, string? description = null)
    {
        TransactionId = transactionId;
        CommitLsn = commitLsn;
        Description = description;
    }

    /// <summary>What the records belong to when it is not a source transaction (a snapshot chunk), for messages.</summary>
    public string? Description { get; }

    /// <summary>The source transaction id, for messages.</summary>
    public long? TransactionId { get; }

    /// <summary>The LSN of the transaction's commit record (from BEGIN), for messages.</summary>
    public NpgsqlLogSequenceNumber CommitLsn { get; }

    /// <summary>
    /// Run by the <see cref="Checkpointer"/> (under its lock) when this transaction leaves its queue: it and everything
    /// before it are delivered, so the position after it may be stored. Snapshot progress is stored this way.
    /// </summary>
    public Action? OnDrained { get; set; }

    /// <summary>Records produced and not yet acknowledged.</summary>
    public int Pending => Volatile.Read(ref _pending);

    /// <summary>True once the commit went through the publisher.</summary>
    public bool IsCommitted => Volatile.Read(ref _committed) == 1;

    /// <summary>The end LSN of the commit record, once committed.</summary>
    public NpgsqlLogSequenceNumber EndLsn => new((ulong)Interlocked.Read(ref _endLsn));

    internal void AddPending() => Interlocked.Increment(ref _pending);

    internal void RemovePending() => Interlocked.Decrement(ref _pending);

    internal void MarkCommitted(NpgsqlLogSequenceNumber endLsn)
    {
        Interlocked.Exchange(ref _endLsn, (long)(ulong)endLsn);
        Volatile.Write(ref _committed, 1);
    }
}
