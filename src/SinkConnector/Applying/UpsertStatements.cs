using System.Text;
using KafkaCdc.SinkConnector.Destination;

namespace KafkaCdc.SinkConnector.Applying;

/// <summary>
/// The SQL of the set-based path for one bound table and its staging table: a temporary table of <c>text</c> columns
/// (plus the delete flag <c>d</c>, the has-placeholder flag <c>h</c> and one placeholder flag per TOAST-able column),
/// created in each transaction that uses it and dropped at its commit, filled by binary COPY, then applied with one DELETE, one INSERT ... ON CONFLICT DO UPDATE and, only when rows carry
/// placeholders, an UPDATE that keeps the stored values of those columns plus an INSERT ... DO NOTHING for new rows.
/// Values are cast server-side to the destination column types (text input, the exact inverse of the source's output).
/// With soft deletes (<see cref="BoundTable.SoftDelete"/>) the staging table also holds each delete's commit time
/// (<c>a</c>, microseconds), the delete is an UPDATE marking the rows not marked yet (run after the upserts: a key
/// inserted and deleted in one batch is kept, marked), and every upsert un-marks its row.
/// </summary>
internal sealed class UpsertStatements
{
    public UpsertStatements(BoundTable table, string stagingName)
    {
        var columns = table.Columns;
        var staging = "pg_temp." + stagingName;
        var names = string.Join(", ", columns.Select(c => c.QuotedName));
        var casts = string.Join(", ", columns.Select((c, i) => $"s.c{i}::{c.CastType}"));
        var keyNames = string.Join(", ", table.PrimaryKey.Select(i => columns[i].QuotedName));
        var keyMatch = string.Join(" AND ", table.PrimaryKey.Select(i => $"t.{columns[i].QuotedName} = s.c{i}::{columns[i].CastType}"));
        var others = Enumerable.Range(0, columns.Length).Where(i => !table.PrimaryKey.Contains(i)).ToList();
        var soft = table.SoftDelete;
        IsSoft = soft is not null;
        if (soft is not null)
        {
            names += $", {soft.QuotedFlag}, {soft.QuotedTime}";
            casts += ", false, NULL";
        }

        var create = new StringBuilder($"CREATE TEMPORARY TABLE {stagingName} (d boolean NOT NULL, h boolean NOT NULL");
        for (var i = 0; i < columns.Length; i++) create.Append($", c{i} text");
        foreach (var i in table.Unavailable) create.Append($", t{i} boolean");
        if (soft is not null) create.Append(", a text");
        CreateStaging = create.Append(") ON COMMIT DROP").ToString();
        Copy = $"COPY {staging} FROM STDIN (FORMAT BINARY)";
        Clear = $"TRUNCATE {staging}";

        Delete = soft is null
            ? $"DELETE FROM {table.QualifiedName} AS t USING {staging} s WHERE s.d AND {keyMatch}"
            : $"UPDATE {table.QualifiedName} AS t SET {soft.Mark("s.a")} FROM {staging} s WHERE s.d AND {keyMatch} AND NOT t.{soft.QuotedFlag}";
        var update = ConflictAction([.. others.Select(i => $"{columns[i].QuotedName} = EXCLUDED.{columns[i].QuotedName}")], soft);
        Upsert = $"INSERT INTO {table.QualifiedName} AS t ({names}) SELECT {casts} FROM {staging} s WHERE NOT s.d AND NOT s.h ON CONFLICT ({keyNames}) {update}";

        if (table.Unavailable.Length > 0 && others.Count > 0)
        {
            var sets = others.Select(i => table.Unavailable.Contains(i)
                ? $"{columns[i].QuotedName} = CASE WHEN s.t{i} THEN t.{columns[i].QuotedName} ELSE s.c{i}::{columns[i].CastType} END"
                : $"{columns[i].QuotedName} = s.c{i}::{columns[i].CastType}");
            if (soft is not null) sets = sets.Append(soft.Unmark);
            KeepUnavailable = $"UPDATE {table.QualifiedName} AS t SET {string.Join(", ", sets)} FROM {staging} s WHERE NOT s.d AND s.h AND {keyMatch}";
        }
        InsertUnavailable = $"INSERT INTO {table.QualifiedName} AS t ({names}) SELECT {casts} FROM {staging} s WHERE NOT s.d AND s.h ON CONFLICT ({keyNames}) DO NOTHING";
    }

    /// <summary>
    /// The <c>ON CONFLICT</c> action of an upsert into a table aliased <c>t</c>: set <paramref name="updates"/>; with soft
    /// deletes also un-mark the row (and with nothing else to set, only a marked row is touched).
    /// </summary>
    internal static string ConflictAction(IReadOnlyList<string> updates, SoftDeleteColumns? soft) =>
        soft is null ? updates.Count == 0 ? "DO NOTHING" : "DO UPDATE SET " + string.Join(", ", updates)
        : updates.Count == 0 ? $"DO UPDATE SET {soft.Unmark} WHERE t.{soft.QuotedFlag}"
        : $"DO UPDATE SET {string.Join(", ", updates)}, {soft.Unmark}";

    /// <summary>Whether deletes mark rows (soft deletes): the staging table has the time column <c>a</c>, and <see cref="Delete"/> runs last.</summary>
    public bool IsSoft { get; }

    /// <summary>
    /// Creates the staging table for the current transaction: dropped at its end, so nothing is left in the server session
    /// (which a transaction-mode pooler hands to other clients between transactions).
    /// </summary>
    public string CreateStaging { get; }

    /// <summary>Fills the staging table.</summary>
    public string Copy { get; }

    /// <summary>Empties the staging table for a second segment of the table in one transaction.</summary>
    public string Clear { get; }

    /// <summary>Deletes the staged deletes' rows, or marks them (<see cref="IsSoft"/>).</summary>
    public string Delete { get; }

    public string Upsert { get; }

    /// <summary>Updates existing rows having placeholders, keeping those columns; null when no column can hold one.</summary>
    public string? KeepUnavailable { get; }

    /// <summary>Inserts rows having placeholders that do not exist yet (the placeholder columns NULL).</summary>
    public string InsertUnavailable { get; }
}
