using KafkaCdc.SinkConnector.Destination;

namespace KafkaCdc.SinkConnector.Committing;

/// <summary>
/// What one batch transaction does about one destination table's snapshot attempt (<see cref="SnapshotFence.Decide"/>):
/// the attempt its marked records are judged against, whether the table's row of <c>kafkacdc_sink_snapshots</c> is
/// written, and whether the table is emptied first (the snapshot started over in a newer attempt).
/// </summary>
/// <param name="Current">The attempt the table holds once the transaction commits.</param>
/// <param name="Stored">The table's row as read, or null.</param>
/// <param name="Record">Whether <paramref name="Current"/> is to be written (it differs from <paramref name="Stored"/>).</param>
/// <param name="Reset">Whether the table is emptied before any record is applied: the rows it holds come from an earlier attempt of the same snapshot.</param>
public readonly record struct SnapshotDecision(SnapshotAttempt Current, SnapshotAttempt? Stored, bool Record, bool Reset);
