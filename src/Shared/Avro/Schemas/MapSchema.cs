using System.Text.Json.Nodes;

namespace KafkaCdc.Shared.Avro;

/// <summary>A map: string keys to values of one schema, encoded in blocks of counted key/value pairs ending with an empty block.</summary>
public sealed class MapSchema : AvroSchema
{
    private static readonly HashSet<string> Reserved = ["type", "values"];

    /// <summary>Creates a map schema.</summary>
    /// <param name="values">The schema of the values.</param>
    /// <param name="properties">Custom properties.</param>
    public MapSchema(AvroSchema values, IEnumerable<KeyValuePair<string, JsonNode?>>? properties = null)
        : base(SchemaProperties.From(properties, Reserved, "map"))
    {
        ArgumentNullException.ThrowIfNull(values);
        Values = values;
    }

    /// <inheritdoc />
    public override AvroType Type => AvroType.Map;

    /// <summary>The schema of the values.</summary>
    public AvroSchema Values { get; }

    internal override string Describe() => $"map of {Values.Describe()}";
}
