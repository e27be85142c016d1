using KafkaCdc.SinkConnector.Batching;
using KafkaCdc.SinkConnector.Decoding;
using KafkaCdc.SinkConnector.Destination;

namespace KafkaCdc.SinkConnector.Applying;

/// <summary>
/// Writes a segment's row changes in order, without reduction: runs of new rows go straight into the table with COPY
/// (text format, so each value meets its column's input function), and each delete runs on its own between them: by
/// key, or for tables without a key, of one row equal to the before image (duplicates stay duplicates). With soft deletes
/// a delete marks that row instead (<see cref="RowStatements"/>); a re-inserted key is a duplicate like any update here.
/// </summary>
public static class AppendWriter
{
    /// <summary>Writes <paramref name="changes"/> (in record order) to <paramref name="table"/>.</summary>
    public static async Task WriteAsync(ApplyTransaction transaction, BoundTable table, List<RowChange> changes, CancellationToken cancellationToken)
    {
        var run = new List<RowChange>();
        foreach (var change in changes)
        {
            if (!change.IsDelete)
            {
                run.Add(change);
                continue;
            }
            await CopyAsync(transaction, table, run, cancellationToken);
            run.Clear();
            await DeleteAsync(transaction, table, change, cancellationToken);
        }
        await CopyAsync(transaction, table, run, cancellationToken);
    }

    /// <summary>Applies one delete: by key, or of one row equal to the before image.</summary>
    public static async Task DeleteAsync(ApplyTransaction transaction, BoundTable table, RowChange change, CancellationToken cancellationToken)
    {
        var sql = table.RowSql ??= new RowStatements(table);
        if (table.PrimaryKey.Length > 0) await sql.DeleteByKeyAsync(transaction, change, cancellationToken);
        else await sql.DeleteOneMatchingAsync(transaction, change, cancellationToken);
        transaction.Counts.AddRows(table.Table.Name, table.SoftDelete is not null && change.Record.Action == RecordAction.Delete ? "soft_delete" : "delete", 1);
    }

    static async Task CopyAsync(ApplyTransaction transaction, BoundTable table, List<RowChange> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0) return;
        var columns = string.Join(", ", table.Columns.Select(c => c.QuotedName));
        var writer = (StreamWriter)await transaction.Connection.BeginTextImportAsync($"COPY {table.QualifiedName} ({columns}) FROM STDIN", cancellationToken);
        try
        {
            // UTF-8 straight into the COPY stream under the writer, which itself is never written to.
            using var copy = new TextCopyWriter(writer.BaseStream);
            foreach (var row in rows)
            {
                if (row.HasUnavailable) transaction.Counts.AddUnavailableAsNull(table.Table.Name, 1);
                if (row.Encoded is { } encoded)
                {
                    copy.WriteFields(encoded);
                }
                else
                {
                    for (var i = 0; i < row.Values.Length; i++) copy.WriteValue(row.Unavailable?[i] == true ? null : row.Values[i]);
                }
                copy.EndRow();
            }
            copy.Finish();
        }
        catch
        {
            CopyCancellation.Cancel(writer.BaseStream);
            throw;
        }
        await writer.DisposeAsync();
        transaction.Counts.AddRows(table.Table.Name, "insert", rows.Count);
    }
}
