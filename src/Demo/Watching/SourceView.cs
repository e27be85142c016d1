namespace KafkaCdc.Demo.Watching;

/// <summary>What the source's <c>/status</c> said at one poll (<see cref="Unreachable"/> when it did not answer).</summary>
/// <param name="State">starting, snapshotting, streaming, retrying, failed, stopped; or <c>unreachable</c>.</param>
/// <param name="EventsPerSecond">Change events read per second (snapshot reads included).</param>
/// <param name="LagBytes">WAL the slot holds back.</param>
/// <param name="ConfirmedLsn">The LSN confirmed to PostgreSQL, as text, or null.</param>
/// <param name="RecordsInFlight">Records produced and not yet acknowledged by Kafka.</param>
/// <param name="Error">The last error, if any.</param>
/// <param name="SnapshotState">none, running, paused, done, stopped or failed.</param>
/// <param name="SnapshotTables">Per table (<c>schema.table</c>), the snapshot's progress.</param>
internal sealed record SourceView(string State, double EventsPerSecond, long LagBytes, string? ConfirmedLsn, long RecordsInFlight,
    string? Error, string SnapshotState, IReadOnlyDictionary<string, TableSnapshotView> SnapshotTables)
{
    /// <summary>The view of a source that did not answer (yet).</summary>
    public static SourceView Unreachable(string reason) =>
        new("unreachable", 0, 0, null, 0, reason, "none", new Dictionary<string, TableSnapshotView>());
}
