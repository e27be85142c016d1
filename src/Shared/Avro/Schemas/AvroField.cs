using System.Text.Json.Nodes;

namespace KafkaCdc.Shared.Avro;

/// <summary>
/// A field of a <see cref="RecordSchema"/>. Immutable: <see cref="WithDefault"/> returns a new field, and a record
/// takes copies of the fields it is built from, numbered by <see cref="Position"/>.
/// </summary>
public sealed class AvroField
{
    private static readonly HashSet<string> Reserved = ["name", "type", "doc", "default", "order", "aliases"];

    private readonly JsonNode? _default;

    /// <summary>Creates a field without a default value.</summary>
    /// <param name="name">The field name, matching <c>[A-Za-z_][A-Za-z0-9_]*</c>.</param>
    /// <param name="schema">The field's type.</param>
    /// <param name="doc">Documentation, or <see langword="null"/>.</param>
    /// <param name="order">Sort order of the field.</param>
    /// <param name="aliases">Former names of the field, used when resolving a writer's record.</param>
    /// <param name="properties">Custom properties, e.g. <c>"kafkacdc.pg.type": "numeric"</c>.</param>
    /// <exception cref="AvroSchemaException">The name, an alias or a property key is invalid.</exception>
    public AvroField(
        string name,
        AvroSchema schema,
        string? doc = null,
        AvroFieldOrder order = AvroFieldOrder.Ascending,
        IEnumerable<string>? aliases = null,
        IEnumerable<KeyValuePair<string, JsonNode?>>? properties = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(schema);
        if (!AvroNames.IsValidName(name))
        {
            throw new AvroSchemaException($"invalid field name '{name}' (names match [A-Za-z_][A-Za-z0-9_]*)");
        }

        Name = name;
        Schema = schema;
        Doc = doc;
        Order = order;
        Aliases = CheckAliases(aliases, name);
        PropertyMap = SchemaProperties.From(properties, Reserved, $"field '{name}'");
        Position = -1;
    }

    private AvroField(AvroField source, int position, bool hasDefault, JsonNode? defaultValue)
    {
        Name = source.Name;
        Schema = source.Schema;
        Doc = source.Doc;
        Order = source.Order;
        Aliases = source.Aliases;
        PropertyMap = source.PropertyMap;
        Position = position;
        HasDefault = hasDefault;
        _default = defaultValue;
    }

    /// <summary>The field name.</summary>
    public string Name { get; }

    /// <summary>Index of the field in its record, which is also its place in the encoding; −1 before it is part of one.</summary>
    public int Position { get; }

    /// <summary>The field's type.</summary>
    public AvroSchema Schema { get; }

    /// <summary>Documentation, or <see langword="null"/>.</summary>
    public string? Doc { get; }

    /// <summary>Whether the field has a default value; needed because the default can be JSON <c>null</c>.</summary>
    public bool HasDefault { get; }

    /// <summary>
    /// The default value in JSON form (as the specification defines it per type, e.g. bytes as a string of code
    /// points 0–255), or <see langword="null"/> for JSON null or no default (see <see cref="HasDefault"/>). A copy.
    /// </summary>
    public JsonNode? Default => _default?.DeepClone();

    /// <summary>Sort order of the field.</summary>
    public AvroFieldOrder Order { get; }

    /// <summary>Former names of the field.</summary>
    public IReadOnlyList<string> Aliases { get; }

    /// <summary>Custom properties of the field. Values are copies.</summary>
    public IReadOnlyDictionary<string, JsonNode?> Properties => PropertyMap;

    internal SchemaProperties PropertyMap { get; }

    /// <summary>The default without copying, for the writers and the compatibility checker.</summary>
    internal JsonNode? DefaultNode => _default;

    /// <summary>
    /// A copy of this field with a default value, checked against <see cref="Schema"/>: for a union the default is a
    /// value of its first branch, as the Avro 1.11 specification requires. <see langword="null"/> means JSON null.
    /// </summary>
    /// <exception cref="AvroSchemaException">The default is not a valid value of the field's schema.</exception>
    public AvroField WithDefault(JsonNode? value)
    {
        var copy = value?.DeepClone();
        DefaultValueValidator.Check(Schema, copy, $"field '{Name}'");
        return new AvroField(this, Position, true, copy);
    }

    /// <summary>A copy of this field without a default value.</summary>
    public AvroField WithoutDefault() => new(this, Position, false, null);

    /// <summary>Creates a copy numbered <paramref name="position"/> for a record.</summary>
    internal AvroField AtPosition(int position) =>
        position == Position ? this : new AvroField(this, position, HasDefault, _default);

    /// <summary>Sets a default without checking it yet: the parser checks defaults once every named type is complete.</summary>
    internal AvroField WithUncheckedDefault(JsonNode? value) => new(this, Position, true, value);

    /// <inheritdoc />
    public override string ToString() => $"{Name}: {Schema.Describe()}";

    private static string[] CheckAliases(IEnumerable<string>? aliases, string field)
    {
        if (aliases is null)
        {
            return [];
        }

        var result = aliases.ToArray();
        foreach (var alias in result)
        {
            if (alias is null || !AvroNames.IsValidName(alias))
            {
                throw new AvroSchemaException($"field '{field}': invalid alias '{alias}'");
            }
        }

        return result;
    }
}
