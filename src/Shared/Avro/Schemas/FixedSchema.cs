using System.Text.Json.Nodes;

namespace KafkaCdc.Shared.Avro;

/// <summary>A fixed: a named byte sequence of a fixed size, encoded as exactly those bytes. May carry a decimal logical type.</summary>
public sealed class FixedSchema : NamedSchema
{
    private static readonly HashSet<string> Reserved = ["type", "name", "namespace", "doc", "aliases", "size"];
    private static readonly HashSet<string> ReservedDecimal = [.. Reserved, "logicalType", "precision", "scale"];

    private readonly DecimalLogicalType? _logicalType;

    /// <summary>Creates a fixed.</summary>
    /// <param name="name">The name; a dotted name carries its namespace.</param>
    /// <param name="namespace">The namespace, or <see langword="null"/>/empty for none.</param>
    /// <param name="size">Number of bytes, zero or more.</param>
    /// <param name="logicalType">A decimal whose precision fits in <paramref name="size"/> bytes, or <see langword="null"/>.</param>
    /// <param name="doc">Documentation, or <see langword="null"/>.</param>
    /// <param name="aliases">Alternative names.</param>
    /// <param name="properties">Custom properties.</param>
    /// <exception cref="AvroSchemaException">A name is invalid, the size negative, the decimal's precision too large for the size, or a property key reserved.</exception>
    public FixedSchema(
        string name,
        string? @namespace,
        int size,
        DecimalLogicalType? logicalType = null,
        string? doc = null,
        IEnumerable<string>? aliases = null,
        IEnumerable<KeyValuePair<string, JsonNode?>>? properties = null)
        : base(
            name,
            @namespace,
            doc,
            aliases,
            SchemaProperties.From(properties, logicalType is null ? Reserved : ReservedDecimal, $"fixed '{name}'"),
            "fixed")
    {
        if (size < 0)
        {
            throw new AvroSchemaException($"fixed '{FullName}': size must not be negative, got {size}");
        }

        if (logicalType is not null && logicalType.Precision > DecimalLogicalType.MaxPrecisionForFixedSize(size))
        {
            throw new AvroSchemaException(
                $"fixed '{FullName}': decimal precision {logicalType.Precision} does not fit in {size} bytes (at most {Math.Max(0, DecimalLogicalType.MaxPrecisionForFixedSize(size))} digits)");
        }

        Size = size;
        _logicalType = logicalType;
    }

    /// <inheritdoc />
    public override AvroType Type => AvroType.Fixed;

    /// <summary>Number of bytes of every value.</summary>
    public int Size { get; }

    /// <inheritdoc />
    public override LogicalType? LogicalType => _logicalType;
}
