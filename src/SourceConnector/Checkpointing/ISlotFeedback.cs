using NpgsqlTypes;

namespace KafkaCdc.SourceConnector.Checkpointing;

/// <summary>Tells PostgreSQL how far the slot may advance: the last step of a checkpoint.</summary>
internal interface ISlotFeedback
{
    /// <summary>Reports <paramref name="lsn"/> as flushed and applied on the replication connection.</summary>
    /// <returns>
    /// True once sent; false when the connection is not streaming yet, in which case the position goes out with the
    /// connection's next status update and the next checkpoint tries again.
    /// </returns>
    Task<bool> ConfirmAsync(NpgsqlLogSequenceNumber lsn, CancellationToken cancellationToken);
}
