namespace KafkaCdc.SinkConnector.Destination;

/// <summary>
/// The destination table as a segment's records describe it: the table name, the columns they carry (in the order a
/// new table gets them), the primary key per <c>primary.key.mode</c> and the stored generated columns the records
/// describe but do not carry. Built once per (table, key schema, value schema) by the applying stage (<c>RecordShapes</c>).
/// </summary>
public sealed class RecordShape
{
    /// <summary>Creates a shape.</summary>
    public RecordShape(string table, IReadOnlyList<ShapeColumn> columns, IReadOnlyList<int> primaryKey, bool hasRowSchema,
        IReadOnlyList<ShapeColumn>? generatedColumns = null)
    {
        Table = table;
        Columns = columns;
        GeneratedColumns = generatedColumns ?? [];
        PrimaryKey = primaryKey;
        HasRowSchema = hasRowSchema;
    }

    /// <summary>The destination table name (unquoted, exact).</summary>
    public string Table { get; }

    /// <summary>The columns.</summary>
    public IReadOnlyList<ShapeColumn> Columns { get; }

    /// <summary>
    /// The source's stored generated columns (<c>kafkacdc.generated</c>), in the source's order, each with its
    /// <see cref="ShapeColumn.GenerationExpression"/>: created after <see cref="Columns"/>, never written.
    /// </summary>
    public IReadOnlyList<ShapeColumn> GeneratedColumns { get; }

    /// <summary>Indexes into <see cref="Columns"/> of the primary key, in key order; empty without one.</summary>
    public IReadOnlyList<int> PrimaryKey { get; }

    /// <summary>Whether the records have a primary key.</summary>
    public bool HasPrimaryKey => PrimaryKey.Count > 0;

    /// <summary>Whether the shape comes from a row schema (false: from the key alone, for tombstones, which never create tables).</summary>
    public bool HasRowSchema { get; }

    /// <summary>The primary key's column names, for messages.</summary>
    public string PrimaryKeyText => "(" + string.Join(", ", PrimaryKey.Select(i => Columns[i].Name)) + ")";
}
