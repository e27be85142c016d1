using KafkaCdc.SourceConnector.ChangeEvents;

namespace KafkaCdc.SourceConnector.Snapshots;

/// <summary>
/// One captured table as a snapshot reads it: the table version its records use (built as the stream's Relation
/// message would build it, so snapshot and stream share schemas), the columns pgoutput publishes, the relations
/// holding its rows (itself, or the leaf partitions of a partitioned table published via its root) and the
/// publication's row filter.
/// </summary>
/// <param name="Table">The table version (name, topic, schemas, decoders).</param>
/// <param name="Oid">The table's OID.</param>
/// <param name="SelectList">The published columns as a quoted select list, in attribute order.</param>
/// <param name="Sources">The relations to read, with their size.</param>
/// <param name="RowFilter">The publication's row filter (PostgreSQL 15 and later), or null.</param>
internal sealed record SnapshotTable(CapturedTable Table, uint Oid, string SelectList, IReadOnlyList<SnapshotSource> Sources, string? RowFilter)
{
    /// <summary>The table's estimated row count (<c>reltuples</c> of its relations; 0 when never analysed).</summary>
    public long EstimatedRows => Sources.Sum(s => s.EstimatedRows);
}

/// <summary>A relation holding rows of a snapshot table.</summary>
/// <param name="Oid">The relation's OID.</param>
/// <param name="QuotedName">The relation's quoted name.</param>
/// <param name="Pages">Its size in pages when planned.</param>
/// <param name="EstimatedRows">Its <c>reltuples</c> (0 when unknown).</param>
internal sealed record SnapshotSource(uint Oid, string QuotedName, long Pages, long EstimatedRows);
