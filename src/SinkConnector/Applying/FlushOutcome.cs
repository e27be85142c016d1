using KafkaCdc.SinkConnector.Batching;
using KafkaCdc.SinkConnector.DeadLetters;

namespace KafkaCdc.SinkConnector.Applying;

/// <summary>
/// What a flush of a group of batches left undone under <c>errors.tolerance=none</c>: the records at which a table
/// stopped (everything of their partition before them committed, nothing from them on), and the batches of the same
/// topics that were therefore not applied. Everything else of the group is committed. The task pauses those topics'
/// partitions and positions them at the first record not applied.
/// </summary>
/// <param name="Stops">The records that cannot be written, at most one per topic, in the order they were met.</param>
/// <param name="NotApplied">Batches of the stopped topics left out of the group after the stop (not committed).</param>
public sealed record FlushOutcome(IReadOnlyList<RecordFailure> Stops, IReadOnlyList<PartitionBatch> NotApplied)
{
    /// <summary>Every batch of the group committed.</summary>
    public static FlushOutcome Complete { get; } = new([], []);
}
