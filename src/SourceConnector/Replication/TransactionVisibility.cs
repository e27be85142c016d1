using Npgsql;

namespace KafkaCdc.SourceConnector.Replication;

/// <summary>
/// Waits until a decoded transaction is visible to new snapshots on an ordinary connection. PostgreSQL flushes a
/// commit record (which the walsender may already decode and send) before the committing backend leaves the proc
/// array, and only then do other sessions see its catalog changes: a Relation message following an <c>ALTER TABLE</c>
/// can arrive while the catalog still reads as before (no default, no new generated column), which would describe the
/// table wrongly until its next Relation message.
/// </summary>
internal static class TransactionVisibility
{
    // $1: the 32-bit xid of pgoutput's Begin, widened to a txid with the epoch of the snapshot's xmax (the previous
    // epoch when that would put it at or past xmax: it was assigned before).
    const string VisibleSql = """
        SELECT pg_catalog.txid_visible_in_snapshot(CASE WHEN x.epoch + $1 >= x.xmax THEN x.epoch + $1 - 4294967296 ELSE x.epoch + $1 END, x.snap)
        FROM (SELECT s AS snap, pg_catalog.txid_snapshot_xmax(s) AS xmax, (pg_catalog.txid_snapshot_xmax(s) >> 32) << 32 AS epoch
              FROM pg_catalog.txid_current_snapshot() s) x
        """;

    static readonly TimeSpan s_pollInterval = TimeSpan.FromMilliseconds(5);

    /// <summary>
    /// Polls until transaction <paramref name="xid"/> is visible, at most <paramref name="limit"/> (it takes
    /// microseconds; past the limit the caller goes on with what the catalog says). Returns whether it became visible.
    /// </summary>
    public static async Task<bool> WaitAsync(NpgsqlConnection connection, long xid, TimeSpan limit, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + limit;
        await using var command = new NpgsqlCommand(VisibleSql, connection) { Parameters = { new() { Value = xid } } };
        while (true)
        {
            if (await command.ExecuteScalarAsync(cancellationToken) is true) return true;
            if (DateTime.UtcNow >= deadline) return false;
            await Task.Delay(s_pollInterval, cancellationToken);
        }
    }
}
