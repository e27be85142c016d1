using KafkaCdc.Shared.ChangeEvents;
using NpgsqlTypes;

namespace KafkaCdc.SourceConnector.ChangeEvents;

/// <summary>Where and when a change happened: the envelope's <c>source</c> block, apart from the fixed names.</summary>
/// <param name="TransactionId">The committing transaction's id (<c>txId</c>).</param>
/// <param name="Lsn">The LSN of the change (of the TRUNCATE for truncates).</param>
/// <param name="LastCommitLsn">The commit LSN of the previous transaction, for <c>sequence</c>; null when unknown.</param>
/// <param name="CommitTimeMicros">The commit time (read time for snapshots), microseconds since the Unix epoch.</param>
/// <param name="Snapshot">The <c>snapshot</c> marker: <c>false</c> for streamed changes.</param>
internal readonly record struct SourceInfo(long? TransactionId, NpgsqlLogSequenceNumber Lsn, NpgsqlLogSequenceNumber? LastCommitLsn, long CommitTimeMicros, string Snapshot = "false")
{
    /// <summary>
    /// A streamed change's index among its transaction's change messages (for its <c>SourcePosition</c>); null for
    /// snapshot reads, which have no position.
    /// </summary>
    public long? ChangeIndex { get; init; }

    /// <summary>
    /// The initial snapshot run whose rows this is, or whose rows hold this streamed change (header
    /// <c>kafkacdc.snapshot</c>; its system identifier is left 0, the producer fills it in); null for other records.
    /// </summary>
    public SnapshotMark? Mark { get; init; }
}
