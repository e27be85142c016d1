using KafkaCdc.SourceConnector.ChangeEvents;
using KafkaCdc.SourceConnector.Configuration;
using KafkaCdc.SourceConnector.Snapshots;
using Microsoft.Extensions.Logging;
using NpgsqlTypes;

namespace KafkaCdc.SourceConnector.Replication;

/// <summary>
/// Acts on a schema change that rewrote existing rows without logging them (<see cref="SchemaChangeRule"/>): with
/// <c>snapshot.on.schema.change=incremental</c> it backfills the table with an incremental snapshot, with <c>off</c>
/// it warns that the destination may differ and how to backfill by hand. A relation that appears under another name than
/// it had at the session's start or in its last version (<c>RENAME TO</c>, <c>SET SCHEMA</c>), without an earlier version
/// under the new name, is backfilled the same way under <c>snapshot.new.tables</c>: its new topic lacks the rows that
/// did not change since.
/// </summary>
/// <remarks>
/// Called by the reader for each new table version, at the Relation message: the snapshot is queued there and starts at
/// the next step after the transaction's commit, so its chunks read rows as they are after the change. A table whose
/// incremental snapshot already passed some rows starts again from its first row (<see cref="Signal.RestartsTables"/>).
/// A table without a primary key and without <c>snapshot.key.columns</c> cannot be read in chunks: a warning says so
/// and names the fix. Reader thread only.
/// </remarks>
internal sealed class SchemaChangeBackfill(SnapshotOnSchemaChange action, SnapshotSettings snapshot, RelationHistory history,
    IncrementalSnapshotter? snapshotter, ILogger logger, IReadOnlyDictionary<uint, TableName>? capturedAtStart = null)
{
    // The name each relation (by OID) had when the session started, or when its last version came in this session.
    readonly Dictionary<uint, TableName> _names = capturedAtStart?.ToDictionary() ?? [];

    /// <summary>Compares a new version of a captured table with the one before it and backfills or warns when needed.</summary>
    /// <param name="relationId">The relation's OID.</param>
    /// <param name="table">The new version.</param>
    /// <param name="lsn">Where its Relation message is in the stream.</param>
    /// <param name="cancellationToken">Cancels the registry lookup.</param>
    public async Task OnVersionAsync(uint relationId, CapturedTable table, NpgsqlLogSequenceNumber lsn, CancellationToken cancellationToken)
    {
        var current = table.Schema.Columns.Select(c => ColumnShape.Of(c.Column)).ToList();
        var previous = await history.PreviousAsync(table.Name, table.Topic, cancellationToken);
        history.Remember(table.Name, current);
        string? reason;
        var off = action == SnapshotOnSchemaChange.Off;
        var renamedFrom = _names.TryGetValue(relationId, out var known) && known != table.Name ? known : null;
        _names[relationId] = table.Name;
        if (previous is not null) reason = SchemaChangeRule.BackfillReason(previous, current);
        else if (renamedFrom is null) reason = null;
        else
        {
            // The same relation under another name (RENAME TO, SET SCHEMA): its changes go to the new name's topic, which
            // has none of the rows that did not change since. (Tables captured first at a start: snapshot.new.tables, there.)
            reason = $"the table was renamed from {renamedFrom.Quoted} to {table.Name.Quoted}, and its topic is new: rows not changed since are not in it";
            off = snapshot.NewTables == SnapshotNewTables.Off;
        }
        if (reason is null) return;

        var name = table.Name.ToString();
        var id = $"schema-change-{name}-{lsn}";
        var byHand = $"{{\"data-collections\": [\"{table.Name.Quoted.Replace("\"", "\\\"")}\"]}}";
        if (off || snapshotter is null)
        {
            Log.SchemaChangeNotBackfilled(logger, name, reason, SnapshotSettings.OnSchemaChangeKey, byHand);
            return;
        }
        if (table.Schema.KeyColumns.Count == 0 && !snapshot.KeyColumns.ContainsKey(table.Name))
        {
            Log.SchemaChangeWithoutKey(logger, name, reason, SnapshotSettings.KeyColumnsKey, byHand);
            return;
        }
        snapshotter.Backfill(id, table.Name, $"schema change of {name}: {reason}");
        Log.SchemaChangeBackfill(logger, name, reason, id);
    }
}
