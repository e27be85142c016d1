using KafkaCdc.SourceConnector.Checkpointing;
using KafkaCdc.SourceConnector.Status;
using Npgsql.Replication;
using NpgsqlTypes;

namespace KafkaCdc.SourceConnector.Replication;

/// <summary>
/// Confirms positions on the replication connection: <c>SetReplicationStatus</c> (flushed and applied LSN) and a
/// forced standby status update, which moves the slot's <c>confirmed_flush_lsn</c>. Called only by
/// <see cref="Checkpointer"/>, with LSNs the offsets topic already holds.
/// </summary>
internal sealed class ReplicationFeedback(LogicalReplicationConnection replication, SourceStatus status) : ISlotFeedback
{
    /// <inheritdoc />
    public async Task<bool> ConfirmAsync(ulong lsn, CancellationToken cancellationToken)
    {
        replication.SetReplicationStatus(new NpgsqlLogSequenceNumber(lsn));
        try
        {
            await replication.SendStatusUpdate(cancellationToken);
        }
        catch (InvalidOperationException)
        {
            // Not streaming yet (START_REPLICATION still pending): the status set above goes out with the next update.
            return false;
        }
        status.ConfirmedLsn = lsn;
        return true;
    }
}
