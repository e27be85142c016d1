using KafkaCdc.Shared.Failures;
using KafkaCdc.SourceConnector.ChangeEvents;
using KafkaCdc.SourceConnector.Checkpointing;
using NpgsqlTypes;

namespace KafkaCdc.SourceConnector.Snapshots;

/// <summary>
/// Which of the stream's changes a snapshot already holds (<see cref="StreamFilterOffset"/>): those of its tables made
/// by transactions visible in it. Streaming starts before such a snapshot (the first start on an existing slot), so
/// without this a consumer would get those changes twice, once in the snapshot's rows and once from the stream: for a
/// table with a key, a repeat; for a table without one, a second row.
/// </summary>
internal sealed class SnapshotStreamFilter
{
    readonly XidSnapshot _snapshot;
    readonly HashSet<string> _tables;

    SnapshotStreamFilter(XidSnapshot snapshot, NpgsqlLogSequenceNumber until, IEnumerable<string> tables)
    {
        _snapshot = snapshot;
        Until = until;
        _tables = new HashSet<string>(tables, StringComparer.Ordinal);
    }

    /// <summary>The filter the stored offset holds, or null.</summary>
    /// <exception cref="SourceConnectorException">The stored filter cannot be read (the offset was edited by hand).</exception>
    public static SnapshotStreamFilter? From(StreamFilterOffset? offset)
    {
        if (offset is null) return null;
        try
        {
            return new SnapshotStreamFilter(XidSnapshot.Parse(offset.Snapshot), NpgsqlLogSequenceNumber.Parse(offset.Until), offset.Tables);
        }
        catch (FormatException e)
        {
            throw new SourceConnectorException(FailureKind.Permanent,
                $"The stored offset's snapshot filter ('{offset.Snapshot}' until {offset.Until}) cannot be read: {e.Message}", e);
        }
    }

    /// <summary>After this position no transaction is visible in the snapshot.</summary>
    public NpgsqlLogSequenceNumber Until { get; }

    /// <summary>Changes skipped so far.</summary>
    public long Skipped { get; private set; }

    /// <summary>Whether the transaction <paramref name="xid"/>, committing at <paramref name="commitLsn"/>, is in the snapshot.</summary>
    public bool Holds(uint xid, NpgsqlLogSequenceNumber commitLsn) => commitLsn <= Until && _snapshot.Sees(xid);

    /// <summary>Whether a change of <paramref name="table"/> in a transaction the snapshot holds is skipped (and counts it).</summary>
    public bool Skips(CapturedTable table)
    {
        if (!_tables.Contains(table.Name.ToString())) return false;
        Skipped++;
        return true;
    }
}
