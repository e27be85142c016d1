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
/// <remarks>
/// A status update is forced only once the stream is established (the connection has received something from the
/// walsender). Npgsql marks the connection as replicating as soon as it sends START_REPLICATION, before PostgreSQL
/// answers and before its feedback timer exists; an update forced in that window would go out ahead of the server's
/// CopyBothResponse and ends in a NullReferenceException inside Npgsql. Until then the position is only set, and
/// Npgsql's own periodic update carries it.
/// </remarks>
internal sealed class ReplicationFeedback(LogicalReplicationConnection replication, SourceStatus status) : ISlotFeedback
{
    /// <summary>Whether the walsender has sent anything yet (data or a keepalive), so the stream is established.</summary>
    public bool HasStreamStarted => replication.LastReceivedLsn != NpgsqlLogSequenceNumber.Invalid;

    /// <inheritdoc />
    public async Task<bool> ConfirmAsync(NpgsqlLogSequenceNumber lsn, CancellationToken cancellationToken)
    {
        replication.SetReplicationStatus(lsn);
        if (!HasStreamStarted) return false;
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
