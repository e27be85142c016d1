namespace KafkaCdc.SinkConnector.Destination;

/// <summary>
/// A destination table's row of <c>kafkacdc_sink_snapshots</c>: the source's initial snapshot whose rows the table
/// holds (<paramref name="System"/>, <paramref name="SnapshotLsn"/>) and the attempt of it they come from.
/// </summary>
/// <param name="System">The source's PostgreSQL system identifier.</param>
/// <param name="SnapshotLsn">The snapshot's id: the LSN where the source's streaming starts after it.</param>
/// <param name="Attempt">The run of the snapshot the rows come from (1 for the first, n for the n-th, resumed, run).</param>
public readonly record struct SnapshotAttempt(ulong System, ulong SnapshotLsn, uint Attempt)
{
    /// <summary>Whether <paramref name="other"/> is an attempt of the same snapshot (the attempt aside).</summary>
    public bool IsSameSnapshot(SnapshotAttempt other) => System == other.System && SnapshotLsn == other.SnapshotLsn;

    /// <summary><c>system/snapshot LSN (X/X) attempt n</c>, for messages.</summary>
    public override string ToString() => $"{System}/{SnapshotLsn >> 32:X}/{(uint)SnapshotLsn:X} attempt {Attempt}";
}
