using System.Text.Json.Nodes;

namespace KafkaCdc.Shared.Avro;

/// <summary>An array: items of one schema, encoded in blocks of counted items ending with an empty block.</summary>
public sealed class ArraySchema : AvroSchema
{
    private static readonly HashSet<string> Reserved = ["type", "items"];

    /// <summary>Creates an array schema.</summary>
    /// <param name="items">The schema of the items.</param>
    /// <param name="properties">Custom properties.</param>
    public ArraySchema(AvroSchema items, IEnumerable<KeyValuePair<string, JsonNode?>>? properties = null)
        : base(SchemaProperties.From(properties, Reserved, "array"))
    {
        ArgumentNullException.ThrowIfNull(items);
        Items = items;
    }

    /// <inheritdoc />
    public override AvroType Type => AvroType.Array;

    /// <summary>The schema of the items.</summary>
    public AvroSchema Items { get; }

    internal override string Describe() => $"array of {Items.Describe()}";
}
