using KafkaCdc.Shared.Postgres;
using KafkaCdc.SinkConnector.Committing;
using KafkaCdc.SinkConnector.Destination;
using Microsoft.Extensions.Logging;

namespace KafkaCdc.SinkConnector.Applying;

/// <summary>
/// The snapshot bookkeeping of a batch transaction whose records carry snapshot marks, before any record is applied:
/// reads the tables' rows of <c>kafkacdc_sink_snapshots</c>, has the <see cref="SnapshotFence"/> decide, empties each
/// table whose snapshot started over in a newer attempt (a reset) and records the new attempts, all in the batch's
/// transaction, so rows, offsets and attempts commit together.
/// </summary>
/// <remarks>
/// Locks: a table whose row stays as it is gets its advisory lock shared (as writing rows does), a table whose row
/// changes gets it exclusively (as a truncate does) before its row is read again and written, so two tasks cannot both
/// reset a table, and no batch reads the row while another resets the table. The first read, without a lock, only
/// chooses the lock; a table whose row another transaction changed in between is locked exclusively as well (two such
/// transactions may deadlock: PostgreSQL aborts one, which is retried as a transient failure).
/// </remarks>
public sealed class SnapshotResets
{
    readonly string _schema;
    readonly SinkSnapshotsTable _snapshots;
    readonly ILogger _logger;

    /// <summary>The bookkeeping of tables in <paramref name="schema"/>.</summary>
    public SnapshotResets(string schema, SinkSnapshotsTable snapshots, ILogger logger)
    {
        _schema = schema;
        _snapshots = snapshots;
        _logger = logger;
    }

    /// <summary>Decides <paramref name="fence"/>'s tables, resets and records them in <paramref name="transaction"/>.</summary>
    public async Task ApplyAsync(DestinationSession session, ApplyTransaction transaction, SnapshotFence fence, CancellationToken cancellationToken)
    {
        // Quoted qualified names, in one order for every transaction so that they never wait on each other crosswise.
        var tables = fence.Tables.Order(StringComparer.Ordinal).Select(t => (Table: t, Qualified: PgIdentifier.Quote(_schema, t))).ToList();
        var names = tables.Select(t => t.Qualified).ToList();
        var unlocked = fence.Decide(ByTable(tables, await _snapshots.ReadAsync(transaction, names, cancellationToken)));
        foreach (var (table, qualified) in tables)
        {
            if (unlocked[table].Record) await TableLocks.LockExclusiveAsync(transaction, qualified, cancellationToken);
            else await TableLocks.LockSharedAsync(transaction, qualified, cancellationToken);
        }
        var decisions = fence.Decide(ByTable(tables, await _snapshots.ReadAsync(transaction, names, cancellationToken)));

        var recorded = new List<KeyValuePair<string, SnapshotAttempt>>();
        foreach (var (table, qualified) in tables)
        {
            var decision = decisions[table];
            if (!decision.Record) continue;
            // Changed by another transaction since the first read: this one holds the lock shared only.
            await TableLocks.LockExclusiveAsync(transaction, qualified, cancellationToken);
            if (decision.Reset) await ResetAsync(session, transaction, table, qualified, decision, cancellationToken);
            recorded.Add(new(qualified, decision.Current));
        }
        if (recorded.Count > 0) await _snapshots.RecordAsync(transaction, recorded, cancellationToken);
    }

    /// <summary>Empties the table for good (also with soft deletes: the rows are an earlier attempt's copies, not deleted rows).</summary>
    async Task ResetAsync(DestinationSession session, ApplyTransaction transaction, string table, string qualified, SnapshotDecision decision,
        CancellationToken cancellationToken)
    {
        var destination = await session.Catalog.DescribeAsync(transaction.Connection, _schema, table, cancellationToken);
        session.Tables[table] = destination;
        if (destination is null) return;
        await using var command = transaction.Command(destination.CanTruncate ? $"TRUNCATE {qualified}" : $"DELETE FROM {qualified}");
        await command.ExecuteNonQueryAsync(cancellationToken);
        transaction.Counts.AddRows(table, "snapshot_reset", 1);
        Log.SnapshotReset(_logger, qualified, decision.Current.ToString(), decision.Stored?.Attempt ?? 0);
    }

    static Dictionary<string, SnapshotAttempt> ByTable(List<(string Table, string Qualified)> tables, Dictionary<string, SnapshotAttempt> byQualified)
    {
        var result = new Dictionary<string, SnapshotAttempt>(byQualified.Count, StringComparer.Ordinal);
        foreach (var (table, qualified) in tables)
        {
            if (byQualified.TryGetValue(qualified, out var row)) result[table] = row;
        }
        return result;
    }
}
