using System.Text.Json.Nodes;

namespace KafkaCdc.Shared.Avro;

/// <summary>
/// A primitive schema (<c>null</c>, <c>boolean</c>, <c>int</c>, <c>long</c>, <c>float</c>, <c>double</c>,
/// <c>bytes</c>, <c>string</c>), optionally with a logical type and custom properties. The plain ones are
/// <see cref="AvroSchema.Int"/> and its siblings.
/// </summary>
public sealed class PrimitiveSchema : AvroSchema
{
    private readonly LogicalType? _logicalType;

    /// <summary>Creates a primitive schema.</summary>
    /// <param name="type">A primitive type.</param>
    /// <param name="logicalType">A logical type whose underlying type is <paramref name="type"/> (decimals: <c>bytes</c>).</param>
    /// <param name="properties">Custom properties; may not use <c>type</c>, nor <c>logicalType</c>/<c>precision</c>/<c>scale</c> alongside a logical type.</param>
    /// <exception cref="AvroSchemaException">The type is not primitive, the logical type does not apply, or a property key is reserved.</exception>
    public PrimitiveSchema(
        AvroType type,
        LogicalType? logicalType = null,
        IEnumerable<KeyValuePair<string, JsonNode?>>? properties = null)
        : base(SchemaProperties.From(properties, ReservedKeys(logicalType), $"{TypeName(type)} schema"))
    {
        if (type > AvroType.String)
        {
            throw new AvroSchemaException($"{type} is not a primitive type; use {type}Schema");
        }

        if (logicalType is not null && logicalType.UnderlyingType != type)
        {
            throw new AvroSchemaException(
                $"logical type '{logicalType.Name}' annotates {TypeName(logicalType.UnderlyingType)}, not {TypeName(type)}");
        }

        Type = type;
        _logicalType = logicalType;
    }

    /// <inheritdoc />
    public override AvroType Type { get; }

    /// <inheritdoc />
    public override LogicalType? LogicalType => _logicalType;

    /// <summary>The JSON name of a primitive type, e.g. <c>boolean</c>.</summary>
    internal static string TypeName(AvroType type) => type switch
    {
        AvroType.Null => "null",
        AvroType.Boolean => "boolean",
        AvroType.Int => "int",
        AvroType.Long => "long",
        AvroType.Float => "float",
        AvroType.Double => "double",
        AvroType.Bytes => "bytes",
        AvroType.String => "string",
        AvroType.Record => "record",
        AvroType.Enum => "enum",
        AvroType.Array => "array",
        AvroType.Map => "map",
        AvroType.Union => "union",
        AvroType.Fixed => "fixed",
        _ => type.ToString(),
    };

    internal static ISet<string> ReservedKeys(LogicalType? logicalType) => logicalType switch
    {
        null => ReservedPlain,
        DecimalLogicalType => ReservedDecimal,
        _ => ReservedLogical,
    };

    internal override string Describe() =>
        _logicalType is null ? TypeName(Type) : $"{TypeName(Type)} ({_logicalType})";

    private static readonly HashSet<string> ReservedPlain = ["type"];
    private static readonly HashSet<string> ReservedLogical = ["type", "logicalType"];
    private static readonly HashSet<string> ReservedDecimal = ["type", "logicalType", "precision", "scale"];
}
