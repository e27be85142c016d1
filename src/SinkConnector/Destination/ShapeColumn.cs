using KafkaCdc.Shared.Postgres;

namespace KafkaCdc.SinkConnector.Destination;

/// <summary>One destination column as the records describe it: name, declared type, where its value is, how it is encoded.</summary>
public sealed class ShapeColumn
{
    /// <summary>The exact column name.</summary>
    public required string Name { get; init; }

    /// <summary>Where the value comes from.</summary>
    public required ColumnSource Source { get; init; }

    /// <summary>The field's position in the row image, or -1.</summary>
    public int ValuePosition { get; init; } = -1;

    /// <summary>The field's position in the Kafka key record, or -1.</summary>
    public int KeyPosition { get; init; } = -1;

    /// <summary>The type layer's definition of the field (null for the Kafka coordinate columns).</summary>
    public PgColumnDefinition? Definition { get; init; }

    /// <summary>The SQL type for <c>CREATE</c>/<c>ALTER</c>: <c>kafkacdc.type</c>, else derived from the Avro type.</summary>
    public required string SqlType { get; init; }

    /// <summary>Whether <see cref="SqlType"/> is the source's declared type (<c>kafkacdc.type</c>), which the destination column must match.</summary>
    public bool HasDeclaredType { get; init; }

    /// <summary>Whether the column is NOT NULL at the source (created NOT NULL).</summary>
    public bool IsNotNull { get; init; }

    /// <summary>
    /// The generation expression of a stored generated column (<see cref="ColumnSource.Generated"/>, from
    /// <c>kafkacdc.generated</c>), as the source printed it; not yet checked (<see cref="PgGenerationExpression"/>).
    /// </summary>
    public string? GenerationExpression { get; init; }

    /// <summary>Whether a value can be the unchanged-TOAST placeholder.</summary>
    public bool CanBeUnavailable { get; init; }

    /// <inheritdoc />
    public override string ToString() => $"{Name} {SqlType}";
}
