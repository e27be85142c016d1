using KafkaCdc.Shared.Postgres;
using KafkaCdc.SinkConnector.Destination;

namespace KafkaCdc.SinkConnector.Applying;

/// <summary>A record column bound to an existing destination column: its quoted name and the type values are cast to.</summary>
public sealed class BoundColumn
{
    /// <summary>Binds <paramref name="column"/> to the destination column of type <paramref name="castType"/>.</summary>
    public BoundColumn(ShapeColumn column, string castType)
    {
        Column = column;
        QuotedName = PgIdentifier.Quote(column.Name);
        CastType = castType;
        Encoder = column.Definition?.Encoder;
    }

    /// <summary>The record side.</summary>
    public ShapeColumn Column { get; }

    /// <summary>The quoted column name.</summary>
    public string QuotedName { get; }

    /// <summary>The destination column's type (from the catalog, so always valid SQL): text input is cast to it server-side.</summary>
    public string CastType { get; }

    /// <summary>The datum encoder (null for the Kafka coordinate columns, whose text is written as it is).</summary>
    public PgColumnEncoder? Encoder { get; }
}
