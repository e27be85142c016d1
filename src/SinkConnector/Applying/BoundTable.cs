using KafkaCdc.SinkConnector.Destination;
namespace KafkaCdc.SinkConnector.Applying;

/// <summary>
/// A <see cref="RecordShape"/> bound to its existing destination table after schema evolution: what the writers need
/// to build SQL (quoted names, cast types, key columns) and to encode records. The SQL of each writer is built once
/// per bound table and kept here.
/// </summary>
public sealed class BoundTable
{
    /// <summary>
    /// Binds <paramref name="shape"/> to <paramref name="table"/>, which has every column of the shape (and the
    /// <paramref name="softDelete"/> columns, with <c>delete.mode=soft</c>).
    /// </summary>
    public BoundTable(RecordShape shape, DestinationTable table, SoftDeleteColumns? softDelete = null)
    {
        Shape = shape;
        SoftDelete = softDelete;
        Table = table;
        QualifiedName = table.QualifiedName;
        Columns = [.. shape.Columns.Select(c => new BoundColumn(c, table.Find(c.Name)!.Type))];
        PrimaryKey = [.. shape.PrimaryKey];
        Unavailable = [.. Enumerable.Range(0, Columns.Length).Where(i => Columns[i].Column.CanBeUnavailable)];
        ColumnsAreFields = Columns.Length > 0 && Columns.Select((c, i) => c.Column.Source == ColumnSource.Value && c.Column.ValuePosition == i).All(x => x);
    }

    /// <summary>Whether column i is field i of the row image, for every column: then a text image is a row as it is.</summary>
    public bool ColumnsAreFields { get; }

    /// <summary>The record side.</summary>
    public RecordShape Shape { get; }

    /// <summary>The destination table.</summary>
    public DestinationTable Table { get; }

    /// <summary>The quoted qualified table name.</summary>
    public string QualifiedName { get; }

    /// <summary>The columns the records carry, in shape order.</summary>
    public BoundColumn[] Columns { get; }

    /// <summary>Indexes into <see cref="Columns"/> of the primary key; empty without one.</summary>
    public int[] PrimaryKey { get; }

    /// <summary>Indexes of the columns whose values may be unchanged-TOAST placeholders.</summary>
    public int[] Unavailable { get; }

    /// <summary>The soft-delete columns (<c>delete.mode=soft</c>: deletes mark rows, upserts un-mark them), or null: deletes delete.</summary>
    public SoftDeleteColumns? SoftDelete { get; }

    /// <summary>The set-based upsert SQL, built on first use.</summary>
    internal UpsertStatements? UpsertSql { get; set; }

    /// <summary>The single-row SQL, built on first use.</summary>
    internal RowStatements? RowSql { get; set; }
}
