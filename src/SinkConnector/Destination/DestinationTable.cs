namespace KafkaCdc.SinkConnector.Destination;

/// <summary>An existing destination table as the catalog describes it. Immutable: after DDL a new one is read.</summary>
public sealed class DestinationTable
{
    readonly Dictionary<string, DestinationColumn> _byName;

    /// <summary>Creates the description.</summary>
    public DestinationTable(string schema, string name, IReadOnlyList<DestinationColumn> columns, bool canTruncate)
    {
        Schema = schema;
        Name = name;
        Columns = columns;
        CanTruncate = canTruncate;
        _byName = columns.ToDictionary(c => c.Name, StringComparer.Ordinal);
        PrimaryKey = columns.Where(c => c.KeyPosition is not null).OrderBy(c => c.KeyPosition).Select(c => c.Name).ToList();
    }

    /// <summary>The schema.</summary>
    public string Schema { get; }

    /// <summary>The table name.</summary>
    public string Name { get; }

    /// <summary>The columns in attribute order.</summary>
    public IReadOnlyList<DestinationColumn> Columns { get; }

    /// <summary>The primary key's column names in key order; empty without one.</summary>
    public IReadOnlyList<string> PrimaryKey { get; }

    /// <summary>Whether the connector's user may TRUNCATE it (else truncate events use DELETE).</summary>
    public bool CanTruncate { get; }

    /// <summary>The column named <paramref name="name"/>, or null.</summary>
    public DestinationColumn? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>The quoted qualified name.</summary>
    public string QualifiedName => Shared.Postgres.PgIdentifier.Quote(Schema, Name);
}
