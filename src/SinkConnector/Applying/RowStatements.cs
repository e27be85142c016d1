using System.Globalization;
using System.Text;
using KafkaCdc.SinkConnector.Batching;
using KafkaCdc.SinkConnector.Decoding;
using KafkaCdc.SinkConnector.Destination;
using Npgsql;
using NpgsqlTypes;

namespace KafkaCdc.SinkConnector.Applying;

/// <summary>
/// Single-row SQL for one bound table, every value a <c>text</c> parameter cast server-side: used where order matters
/// row by row (deletes in append mode, updates and deletes of tables without a key) and when a batch is re-applied
/// record by record to isolate a failing record. With soft deletes (<see cref="BoundTable.SoftDelete"/>) a delete marks
/// the row not marked yet (by key, or one equal to the before image) at the record's commit time, an upsert un-marks
/// it, and the old row an update of a keyless table replaces is deleted only among the rows not marked.
/// </summary>
internal sealed class RowStatements
{
    readonly BoundTable _table;
    readonly Dictionary<string, string> _upserts = new(StringComparer.Ordinal);
    readonly string _insert;
    readonly string _deleteByKey;
    readonly string _deleteOneMatching;
    readonly string? _markOneMatching;

    public RowStatements(BoundTable table)
    {
        _table = table;
        var columns = table.Columns;
        _insert = $"INSERT INTO {table.QualifiedName} ({string.Join(", ", columns.Select(c => c.QuotedName))}) " +
                  $"VALUES ({string.Join(", ", columns.Select((c, i) => $"${i + 1}::{c.CastType}"))})";
        var keyMatch = string.Join(" AND ", table.PrimaryKey.Select((k, n) => $"{columns[k].QuotedName} = ${n + 1}::{columns[k].CastType}"));
        // Text comparison: json, xml, point... have no equality operator; their text output is exact and settings are pinned.
        var oneMatching = $"ctid = (SELECT ctid FROM {table.QualifiedName} WHERE " +
                          (table.SoftDelete is { } marked ? $"NOT {marked.QuotedFlag} AND " : "") +
                          $"({string.Join(", ", columns.Select(c => $"{c.QuotedName}::text"))}) IS NOT DISTINCT FROM " +
                          $"({string.Join(", ", columns.Select((c, i) => $"${i + 1}::{c.CastType}::text"))}) LIMIT 1)";
        _deleteOneMatching = $"DELETE FROM {table.QualifiedName} WHERE {oneMatching}";
        if (table.SoftDelete is { } soft)
        {
            _deleteByKey = $"UPDATE {table.QualifiedName} SET {soft.Mark($"${table.PrimaryKey.Length + 1}")} WHERE {keyMatch} AND NOT {soft.QuotedFlag}";
            _markOneMatching = $"UPDATE {table.QualifiedName} SET {soft.Mark($"${columns.Length + 1}")} WHERE {oneMatching}";
        }
        else
        {
            _deleteByKey = $"DELETE FROM {table.QualifiedName} WHERE {keyMatch}";
        }
    }

    /// <summary>Inserts the row (placeholders as NULL).</summary>
    public Task<int> InsertAsync(ApplyTransaction transaction, RowChange change, CancellationToken cancellationToken) =>
        ExecuteAsync(transaction, _insert, change.Values, cancellationToken);

    /// <summary>Inserts or updates the row by key, keeping the stored values of placeholder columns.</summary>
    public Task<int> UpsertAsync(ApplyTransaction transaction, RowChange change, CancellationToken cancellationToken)
    {
        var mask = change.Unavailable is null ? "" : string.Concat(change.Unavailable.Select(u => u ? '1' : '0'));
        if (!_upserts.TryGetValue(mask, out var sql)) _upserts[mask] = sql = UpsertSql(change.Unavailable);
        var values = change.Unavailable is null ? change.Values : [.. change.Values.Where((_, i) => !change.Unavailable[i])];
        return ExecuteAsync(transaction, sql, values, cancellationToken);
    }

    /// <summary>Deletes (soft: marks) the row with the change's key.</summary>
    public Task<int> DeleteByKeyAsync(ApplyTransaction transaction, RowChange change, CancellationToken cancellationToken) =>
        ExecuteAsync(transaction, _deleteByKey, _table.SoftDelete is null
            ? [.. _table.PrimaryKey.Select(k => change.Values[k])]
            : [.. _table.PrimaryKey.Select(k => change.Values[k]), CommitTime(change)], cancellationToken);

    /// <summary>
    /// Deletes one row equal to the change's values (a before image), if any; with soft deletes a delete record marks
    /// it instead, and the old row of an update is deleted only among the rows not marked.
    /// </summary>
    public Task<int> DeleteOneMatchingAsync(ApplyTransaction transaction, RowChange change, CancellationToken cancellationToken) =>
        _markOneMatching is not null && change.Record.Action == RecordAction.Delete
            ? ExecuteAsync(transaction, _markOneMatching, [.. change.Values, CommitTime(change)], cancellationToken)
            : ExecuteAsync(transaction, _deleteOneMatching, change.Values, cancellationToken);

    static string? CommitTime(RowChange change) => change.Record.CommitTime?.ToString(CultureInfo.InvariantCulture);

    string UpsertSql(bool[]? unavailable)
    {
        var columns = _table.Columns;
        var values = new List<string>();
        var parameter = 0;
        for (var i = 0; i < columns.Length; i++)
            values.Add(unavailable?[i] == true ? "NULL" : $"${++parameter}::{columns[i].CastType}");
        var updates = Enumerable.Range(0, columns.Length)
            .Where(i => !_table.PrimaryKey.Contains(i) && unavailable?[i] != true)
            .Select(i => $"{columns[i].QuotedName} = EXCLUDED.{columns[i].QuotedName}")
            .ToList();
        var names = columns.Select(c => c.QuotedName).ToList();
        var soft = _table.SoftDelete;
        if (soft is not null)
        {
            names.AddRange([soft.QuotedFlag, soft.QuotedTime]);
            values.AddRange(["false", "NULL"]);
        }
        return new StringBuilder($"INSERT INTO {_table.QualifiedName} AS t ({string.Join(", ", names)}) VALUES ({string.Join(", ", values)}) ")
            .Append($"ON CONFLICT ({string.Join(", ", _table.PrimaryKey.Select(k => columns[k].QuotedName))}) ")
            .Append(UpsertStatements.ConflictAction(updates, soft))
            .ToString();
    }

    static async Task<int> ExecuteAsync(ApplyTransaction transaction, string sql, IReadOnlyList<string?> values, CancellationToken cancellationToken)
    {
        await using var command = transaction.Command(sql);
        foreach (var value in values)
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)value ?? DBNull.Value });
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
