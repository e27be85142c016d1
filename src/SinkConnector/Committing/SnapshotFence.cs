using KafkaCdc.Shared.ChangeEvents;
using KafkaCdc.SinkConnector.Destination;

namespace KafkaCdc.SinkConnector.Committing;

/// <summary>
/// What one batch transaction may apply of the records that carry a <see cref="SnapshotMark"/> (header
/// <c>kafkacdc.snapshot</c>): the source's initial snapshot, when it was interrupted, runs again in a new attempt that
/// reads the unfinished tables entirely, so the destination must hold the rows of one attempt only, and the changes the
/// stream replays that the attempt's rows already hold must not be applied again. Decided per destination table
/// before any record is applied, from the table's row of <c>kafkacdc_sink_snapshots</c>
/// (<see cref="SinkSnapshotsTable"/>), so a record admitted earlier in the batch cannot survive a reset.
/// </summary>
/// <remarks>
/// <para>Feed it the transaction's marked records (<see cref="Observe"/>, in batch order: offset order within a
/// partition), <see cref="Decide"/> against the stored rows, then <see cref="Admit"/> each marked record.</para>
/// <para>The rule, per table: let (system, snapshot) be the mark of the last marked record and n the highest attempt
/// among the marks of that snapshot. No stored row, or another snapshot stored: store (system, snapshot, n); no row of
/// this snapshot was ever applied. The same snapshot with a lower attempt stored: reset (empty the table) and store n.
/// Then a record of the stored snapshot is skipped as <see cref="StaleSnapshot"/> when its attempt is below the
/// table's, and as <see cref="HeldBySnapshot"/> when it is a streamed change of the table's attempt (its effect is in
/// that attempt's rows); marks of any other snapshot are applied, as are records without a mark.</para>
/// </remarks>
public sealed class SnapshotFence
{
    /// <summary>The skip reason of a record of an earlier attempt of the table's snapshot.</summary>
    public const string StaleSnapshot = "stale_snapshot";

    /// <summary>The skip reason of a streamed change whose effect the rows of the table's attempt already hold.</summary>
    public const string HeldBySnapshot = "held_by_snapshot";

    readonly Dictionary<string, TableMarks> _marks = new(StringComparer.Ordinal);
    readonly Dictionary<string, SnapshotAttempt> _current = new(StringComparer.Ordinal);

    /// <summary>The tables with marked records observed.</summary>
    public IReadOnlyCollection<string> Tables => _marks.Keys;

    /// <summary>Whether no marked record was observed (the transaction needs no snapshot bookkeeping).</summary>
    public bool IsEmpty => _marks.Count == 0;

    /// <summary>Notes the mark of a record of <paramref name="table"/> the transaction will see (in batch order).</summary>
    public void Observe(string table, SnapshotMark mark)
    {
        if (!_marks.TryGetValue(table, out var marks)) _marks[table] = marks = new TableMarks();
        var snapshot = (mark.System, mark.SnapshotLsn);
        marks.Last = snapshot;
        marks.HighestAttempt[snapshot] = Math.Max(marks.HighestAttempt.GetValueOrDefault(snapshot), mark.Attempt);
    }

    /// <summary>
    /// Decides each observed table against its stored row (<paramref name="stored"/>, tables without a row absent) and
    /// keeps the result for <see cref="Admit"/>. May be called again with rows read again (under a stronger lock).
    /// </summary>
    public Dictionary<string, SnapshotDecision> Decide(IReadOnlyDictionary<string, SnapshotAttempt> stored)
    {
        var decisions = new Dictionary<string, SnapshotDecision>(_marks.Count, StringComparer.Ordinal);
        foreach (var (table, marks) in _marks)
        {
            var seen = new SnapshotAttempt(marks.Last.System, marks.Last.SnapshotLsn, marks.HighestAttempt[marks.Last]);
            SnapshotDecision decision;
            if (!stored.TryGetValue(table, out var row)) decision = new SnapshotDecision(seen, null, Record: true, Reset: false);
            else if (!row.IsSameSnapshot(seen)) decision = new SnapshotDecision(seen, row, Record: true, Reset: false);
            else if (seen.Attempt > row.Attempt) decision = new SnapshotDecision(seen, row, Record: true, Reset: true);
            else decision = new SnapshotDecision(row, row, Record: false, Reset: false);
            decisions[table] = decision;
            _current[table] = decision.Current;
        }
        return decisions;
    }

    /// <summary>
    /// Whether a record of <paramref name="table"/> with <paramref name="mark"/> is to be applied (null); otherwise the
    /// reason it is skipped: <see cref="StaleSnapshot"/> or <see cref="HeldBySnapshot"/>. Call after <see cref="Decide"/>.
    /// </summary>
    public string? Admit(string table, SnapshotMark mark)
    {
        if (!_current.TryGetValue(table, out var current) || mark.System != current.System || mark.SnapshotLsn != current.SnapshotLsn) return null;
        if (mark.Attempt < current.Attempt) return StaleSnapshot;
        if (mark.Kind == SnapshotMarkKind.HeldChange && mark.Attempt == current.Attempt) return HeldBySnapshot;
        return null;
    }

    sealed class TableMarks
    {
        public (ulong System, ulong SnapshotLsn) Last;
        public readonly Dictionary<(ulong System, ulong SnapshotLsn), uint> HighestAttempt = [];
    }
}
