using Confluent.Kafka;
using KafkaCdc.Shared.ChangeEvents;
using KafkaCdc.SinkConnector.Destination;

namespace KafkaCdc.SinkConnector.Committing;

/// <summary>
/// What one batch transaction may apply of one partition, from the partition's row of <c>kafkacdc_sink_offsets</c>
/// (locked by <see cref="OffsetCommitter.BeginAsync(ApplyTransaction, IReadOnlyCollection{TopicPartition}, CancellationToken)"/>):
/// records below the recorded next offset were applied already (a crash between the database and the Kafka commit),
/// and records whose <see cref="SourcePosition"/> is at or before the highest one applied are the source's replays (it
/// sends again, after a crash, what it had sent but not confirmed; they land on new offsets, so only the position
/// tells them apart). Feed it the partition's records in offset order; it keeps the highest position admitted.
/// </summary>
/// <remarks>
/// Records without a position (snapshot reads, other producers' records) are always admitted and leave the position
/// alone. A position of another PostgreSQL system (the source now reads another cluster) is admitted and becomes the
/// partition's position: positions of two systems say nothing about each other's order.
/// </remarks>
public sealed class PartitionFence
{
    /// <summary>The skip reason of a record below the recorded offset.</summary>
    public const string AlreadyApplied = "already_applied";

    /// <summary>The skip reason of a record at or before the highest source position applied.</summary>
    public const string Replayed = "replayed";

    readonly long? _appliedOffset;
    SourcePosition? _highest;

    /// <summary>The fence of a partition whose row is <paramref name="stored"/> (null: no row yet).</summary>
    public PartitionFence(PartitionProgress? stored)
    {
        _appliedOffset = stored?.NextOffset;
        _highest = stored?.Source;
    }

    /// <summary>The recorded next offset, if any: records below it are skipped.</summary>
    public long? AppliedOffset => _appliedOffset;

    /// <summary>The highest source position applied, in the table or admitted since.</summary>
    public SourcePosition? Highest => _highest;

    /// <summary>
    /// Whether the record at <paramref name="offset"/> with <paramref name="position"/> is to be applied; otherwise the
    /// reason it is skipped: <c>already_applied</c> (below the recorded offset) or <c>replayed</c> (source position).
    /// </summary>
    public string? Admit(long offset, SourcePosition? position)
    {
        if (offset < _appliedOffset) return AlreadyApplied;
        if (position is not { } p) return null;
        if (_highest is { } highest && p.IsAtOrBefore(highest)) return Replayed;
        _highest = p;
        return null;
    }

    /// <summary>Takes back the last admissions: the record admitted after <paramref name="highest"/> was not applied after all.</summary>
    public void Retract(SourcePosition? highest) => _highest = highest;

    /// <summary>The row to record once the transaction applied the partition up to <paramref name="nextOffset"/>.</summary>
    public PartitionProgress Progress(TopicPartition partition, long nextOffset) =>
        new(partition, Math.Max(nextOffset, _appliedOffset ?? 0), _highest);
}
