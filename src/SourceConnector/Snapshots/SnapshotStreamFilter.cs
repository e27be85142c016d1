using KafkaCdc.Shared.ChangeEvents;
using KafkaCdc.Shared.Failures;
using KafkaCdc.SourceConnector.ChangeEvents;
using KafkaCdc.SourceConnector.Checkpointing;
using NpgsqlTypes;

namespace KafkaCdc.SourceConnector.Snapshots;

/// <summary>
/// Which of the stream's changes a snapshot already holds (<see cref="StreamFilterOffset"/>): those of its tables made
/// by transactions visible in it. Streaming starts before such a snapshot (the first start on an existing slot, or a
/// resumed run of an interrupted initial snapshot), so without this a consumer would get those changes twice, once in
/// the snapshot's rows and once from the stream: for a table with a key, a repeat; for a table without one, a second row.
/// A first-start snapshot's are dropped; a resumed run's are marked (<see cref="SnapshotMarkKind.HeldChange"/>).
/// </summary>
internal sealed class SnapshotStreamFilter
{
    readonly XidSnapshot _snapshot;
    readonly HashSet<string> _tables;

    SnapshotStreamFilter(XidSnapshot snapshot, NpgsqlLogSequenceNumber until, IEnumerable<string> tables, SnapshotMark? mark)
    {
        _snapshot = snapshot;
        Until = until;
        _tables = new HashSet<string>(tables, StringComparer.Ordinal);
        Mark = mark;
    }

    /// <summary>The filter one stored entry describes.</summary>
    /// <exception cref="SourceConnectorException">The stored filter cannot be read (the offset was edited by hand).</exception>
    public static SnapshotStreamFilter From(StreamFilterOffset offset)
    {
        try
        {
            SnapshotMark? mark = offset.Mark
                ? new SnapshotMark(0, (ulong)NpgsqlLogSequenceNumber.Parse(offset.SnapshotLsn ?? throw new FormatException("a marking filter has no snapshot_lsn")),
                    checked((uint)offset.Attempt), SnapshotMarkKind.HeldChange)
                : null;
            return new SnapshotStreamFilter(XidSnapshot.Parse(offset.Snapshot), NpgsqlLogSequenceNumber.Parse(offset.Until), offset.Tables, mark);
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            throw new SourceConnectorException(FailureKind.Permanent,
                $"The stored offset's snapshot filter ('{offset.Snapshot}' until {offset.Until}, attempt {offset.Attempt}) cannot be read: {e.Message}", e);
        }
    }

    /// <summary>Every filter the stored offset holds, or null when it holds none.</summary>
    public static IReadOnlyList<SnapshotStreamFilter>? From(SnapshotOffset? offset) =>
        offset?.StreamFilters is { Count: > 0 } filters ? [.. filters.Select(From)] : null;

    /// <summary>After this position no transaction is visible in the snapshot.</summary>
    public NpgsqlLogSequenceNumber Until { get; }

    /// <summary>The mark (system identifier left 0: the producer knows it) of the changes it holds; null: they are dropped.</summary>
    public SnapshotMark? Mark { get; }

    /// <summary>Changes skipped (or marked) so far.</summary>
    public long Held { get; private set; }

    /// <summary>Whether the reader logged that the stream passed it.</summary>
    public bool Reported { get; set; }

    /// <summary>Whether the transaction <paramref name="xid"/>, committing at <paramref name="commitLsn"/>, is in the snapshot.</summary>
    public bool Holds(uint xid, NpgsqlLogSequenceNumber commitLsn) => commitLsn <= Until && _snapshot.Sees(xid);

    /// <summary>Whether a change of <paramref name="table"/> in a transaction the snapshot holds is in its rows (and counts it).</summary>
    public bool Covers(CapturedTable table)
    {
        if (!_tables.Contains(table.Name.ToString())) return false;
        Held++;
        return true;
    }
}
