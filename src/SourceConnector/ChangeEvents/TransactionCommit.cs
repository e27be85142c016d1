using KafkaCdc.SourceConnector.Checkpointing;
using NpgsqlTypes;

namespace KafkaCdc.SourceConnector.ChangeEvents;

/// <summary>
/// The end of a transaction in the pipeline: every event of <see cref="Transaction"/> came before it, so once the
/// publisher reaches it the transaction's record count is final.
/// </summary>
internal sealed class TransactionCommit(TransactionProgress transaction, NpgsqlLogSequenceNumber endLsn) : PipelineItem
{
    /// <summary>The transaction.</summary>
    public TransactionProgress Transaction { get; } = transaction;

    /// <summary>The end LSN of the commit record: the position to confirm once the transaction is delivered.</summary>
    public NpgsqlLogSequenceNumber EndLsn { get; } = endLsn;
}
