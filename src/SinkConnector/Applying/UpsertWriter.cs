using System.Globalization;
using KafkaCdc.SinkConnector.Batching;
using KafkaCdc.SinkConnector.Destination;
using Npgsql;

namespace KafkaCdc.SinkConnector.Applying;

/// <summary>
/// Writes a segment's reduced row changes set-based (<see cref="UpsertStatements"/>): binary COPY into the staging
/// table (created in the transaction, dropped at its commit), then the DELETE and INSERT ... ON CONFLICT statements in
/// one round trip, in the batch's transaction. With soft deletes the changes come from <see cref="KeyReduction.ReduceKeepingDeletedRows"/>, each delete is staged with its
/// commit time, and the UPDATE marking them runs after the upserts.
/// </summary>
public static class UpsertWriter
{
    /// <summary>Writes <paramref name="changes"/> (at most one per key) to <paramref name="table"/>.</summary>
    public static async Task WriteAsync(DestinationSession session, ApplyTransaction transaction, BoundTable table, List<RowChange> changes, CancellationToken cancellationToken)
    {
        var sql = table.UpsertSql ??= new UpsertStatements(table, session.NextStagingName());
        // The staging table lives for one transaction (ON COMMIT DROP); a second segment of this table in the same
        // transaction empties it first.
        await using (var prepare = transaction.Command(transaction.StagingUsed.Add(sql.Copy) ? sql.CreateStaging : sql.Clear))
        {
            await prepare.ExecuteNonQueryAsync(cancellationToken);
        }

        long deletes = 0, upserts = 0, unavailable = 0;
        var raw = await transaction.Connection.BeginRawBinaryCopyAsync(sql.Copy, cancellationToken);
        try
        {
            using var copy = new BinaryCopyWriter(raw);
            var soft = sql.IsSoft;
            var fields = 2 + table.Columns.Length + table.Unavailable.Length + (soft ? 1 : 0);
            foreach (var change in changes)
            {
                copy.StartRow(fields);
                copy.WriteBoolean(change.IsDelete);
                copy.WriteBoolean(change.HasUnavailable);
                if (change.Encoded is { } encoded)
                {
                    // The texts as decoded: the bound columns are the image's fields in order, none a placeholder.
                    copy.WriteFields(encoded.Data);
                }
                else
                {
                    foreach (var value in change.Values)
                    {
                        if (value is null) copy.WriteNull();
                        else copy.WriteText(value);
                    }
                }
                foreach (var index in table.Unavailable) copy.WriteBoolean(change.Unavailable?[index] ?? false);
                if (soft)
                {
                    if (change.IsDelete && change.Record.CommitTime is { } time) copy.WriteText(time.ToString(CultureInfo.InvariantCulture));
                    else copy.WriteNull();
                }
                if (change.IsDelete) deletes++;
                else if (change.HasUnavailable) unavailable++;
                else upserts++;
            }
            copy.Finish();
        }
        catch
        {
            CopyCancellation.Cancel(raw);
            throw;
        }
        await raw.DisposeAsync();

        await using var batch = new NpgsqlBatch(transaction.Connection, transaction.Transaction);
        if (deletes > 0 && !sql.IsSoft) batch.BatchCommands.Add(new NpgsqlBatchCommand(sql.Delete));
        if (upserts > 0) batch.BatchCommands.Add(new NpgsqlBatchCommand(sql.Upsert));
        NpgsqlBatchCommand? insertUnavailable = null;
        if (unavailable > 0)
        {
            if (sql.KeepUnavailable is not null) batch.BatchCommands.Add(new NpgsqlBatchCommand(sql.KeepUnavailable));
            batch.BatchCommands.Add(insertUnavailable = new NpgsqlBatchCommand(sql.InsertUnavailable));
        }
        // Soft: the marks go last, so a row inserted and deleted in this batch is kept, marked.
        if (deletes > 0 && sql.IsSoft) batch.BatchCommands.Add(new NpgsqlBatchCommand(sql.Delete));
        if (batch.BatchCommands.Count > 0) await batch.ExecuteNonQueryAsync(cancellationToken);
        // Rows with placeholders that did not exist yet had no stored value to keep: their unavailable columns are NULL.
        if (insertUnavailable is not null) transaction.Counts.AddUnavailableAsNull(table.Table.Name, insertUnavailable.RecordsAffected);

        transaction.Counts.AddRows(table.Table.Name, "upsert", upserts + unavailable);
        transaction.Counts.AddRows(table.Table.Name, sql.IsSoft ? "soft_delete" : "delete", deletes);
    }
}
