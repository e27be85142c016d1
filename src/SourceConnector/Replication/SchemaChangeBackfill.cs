using KafkaCdc.SourceConnector.ChangeEvents;
using KafkaCdc.SourceConnector.Configuration;
using KafkaCdc.SourceConnector.Snapshots;
using Microsoft.Extensions.Logging;
using NpgsqlTypes;

namespace KafkaCdc.SourceConnector.Replication;

/// <summary>
/// Acts on a schema change that rewrote existing rows without logging them (<see cref="SchemaChangeRule"/>): with
/// <c>snapshot.on.schema.change=incremental</c> it backfills the table with an incremental snapshot, with <c>off</c>
/// it warns that the destination may differ and how to backfill by hand. A table that first appears in the stream
/// without an earlier version and was not captured when the session started (a table renamed, moved into a captured
/// schema, added to the publication or created since) is backfilled the same way under <c>snapshot.new.tables</c>.
/// </summary>
/// <remarks>
/// Called by the reader for each new table version, at the Relation message: the snapshot is queued there and starts at
/// the next step after the transaction's commit, so its chunks read rows as they are after the change. A table whose
/// incremental snapshot already passed some rows starts again from its first row (<see cref="Signal.RestartsTables"/>).
/// A table without a primary key and without <c>snapshot.key.columns</c> cannot be read in chunks: a warning says so
/// and names the fix. Reader thread only.
/// </remarks>
internal sealed class SchemaChangeBackfill(SnapshotOnSchemaChange action, SnapshotSettings snapshot, RelationHistory history,
    IncrementalSnapshotter? snapshotter, ILogger logger, IReadOnlyCollection<TableName>? capturedAtStart = null)
{
    readonly HashSet<TableName> _capturedAtStart = [.. capturedAtStart ?? []];

    /// <summary>Compares a new version of a captured table with the one before it and backfills or warns when needed.</summary>
    /// <param name="table">The new version.</param>
    /// <param name="lsn">Where its Relation message is in the stream.</param>
    /// <param name="cancellationToken">Cancels the registry lookup.</param>
    public async Task OnVersionAsync(CapturedTable table, NpgsqlLogSequenceNumber lsn, CancellationToken cancellationToken)
    {
        var current = table.Schema.Columns.Select(c => ColumnShape.Of(c.Column)).ToList();
        var previous = await history.PreviousAsync(table.Name, table.Topic, cancellationToken);
        history.Remember(table.Name, current);
        string? reason;
        var off = action == SnapshotOnSchemaChange.Off;
        if (previous is not null) reason = SchemaChangeRule.BackfillReason(previous, current);
        else if (capturedAtStart is null || !_capturedAtStart.Add(table.Name)) reason = null;
        else
        {
            // Neither streamed nor snapshotted before, and not captured when the session started: renamed from another
            // table, moved into a captured schema, added to the publication or created (AS SELECT) since, so rows it
            // held before are not in the stream. (Tables new at a start are snapshot.new.tables' work, in the session.)
            reason = "the table was not captured when streaming started (created, renamed, moved into a captured schema or added to the publication " +
                     "since), so rows it held before are not in the stream";
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
