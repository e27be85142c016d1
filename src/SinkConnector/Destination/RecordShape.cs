namespace KafkaCdc.SinkConnector.Destination;

/// <summary>
/// The destination table as a segment's records describe it: the table name, the columns they carry (in the order a
/// new table gets them) and the primary key per <c>primary.key.mode</c>. Built once per (table, key schema, value
/// schema) by the applying stage (<c>RecordShapes</c>).
/// </summary>
public sealed class RecordShape
{
    /// <summary>Creates a shape.</summary>
    public RecordShape(string table, IReadOnlyList<ShapeColumn> columns, IReadOnlyList<int> primaryKey, bool hasRowSchema)
    {
        Table = table;
        Columns = columns;
        PrimaryKey = primaryKey;
        HasRowSchema = hasRowSchema;
    }

    /// <summary>The destination table name (unquoted, exact).</summary>
    public string Table { get; }

    /// <summary>The columns.</summary>
    public IReadOnlyList<ShapeColumn> Columns { get; }

    /// <summary>Indexes into <see cref="Columns"/> of the primary key, in key order; empty without one.</summary>
    public IReadOnlyList<int> PrimaryKey { get; }

    /// <summary>Whether the records have a primary key.</summary>
    public bool HasPrimaryKey => PrimaryKey.Count > 0;

    /// <summary>Whether the shape comes from a row schema (false: from the key alone, for tombstones, which never create tables).</summary>
    public bool HasRowSchema { get; }

    /// <summary>The primary key's column names, for messages.</summary>
    public string PrimaryKeyText => "(" + string.Join(", ", PrimaryKey.Select(i => Columns[i].Name)) + ")";
}
