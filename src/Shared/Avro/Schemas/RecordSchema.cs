using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Nodes;

namespace KafkaCdc.Shared.Avro;

/// <summary>A record: a named sequence of fields, encoded as the fields' encodings in order.</summary>
/// <example><code>
/// var value = new RecordSchema("Value", "kafkacdc.db.public.orders",
/// [
///     new AvroField("id", AvroSchema.Long),
///     new AvroField("note", AvroSchema.Nullable(AvroSchema.String)).WithDefault(null),
/// ]);
/// </code></example>
public sealed class RecordSchema : NamedSchema
{
    private static readonly HashSet<string> Reserved = ["type", "name", "namespace", "doc", "aliases", "fields"];

    private AvroField[] _fields = [];
    private Dictionary<string, AvroField> _byName = new(StringComparer.Ordinal);

    /// <summary>Creates a record. The fields are copied and numbered in the given order.</summary>
    /// <param name="name">The name; a dotted name carries its namespace.</param>
    /// <param name="namespace">The namespace, or <see langword="null"/>/empty for none.</param>
    /// <param name="fields">The fields, with distinct names.</param>
    /// <param name="doc">Documentation, or <see langword="null"/>.</param>
    /// <param name="aliases">Alternative names of the record.</param>
    /// <param name="properties">Custom properties.</param>
    /// <exception cref="AvroSchemaException">A name is invalid, two fields share a name, a property key is reserved, or two different types in the fields share a full name.</exception>
    public RecordSchema(
        string name,
        string? @namespace,
        IEnumerable<AvroField> fields,
        string? doc = null,
        IEnumerable<string>? aliases = null,
        IEnumerable<KeyValuePair<string, JsonNode?>>? properties = null)
        : this(name, @namespace, doc, aliases, SchemaProperties.From(properties, Reserved, $"record '{name}'"))
    {
        ArgumentNullException.ThrowIfNull(fields);
        SetFields(fields);
        NamedTypeConsistency.Check(this, _fields.Select(f => f.Schema), $"record '{FullName}'");
    }

    /// <summary>Creates a record whose fields the parser sets later, so that they can refer to the record itself.</summary>
    internal RecordSchema(string name, string? @namespace, string? doc, IEnumerable<string>? aliases, SchemaProperties properties)
        : base(name, @namespace, doc, aliases, properties, "record")
    {
    }

    /// <inheritdoc />
    public override AvroType Type => AvroType.Record;

    /// <summary>The fields in encoding order; <c>Fields[i].Position == i</c>.</summary>
    public IReadOnlyList<AvroField> Fields => _fields;

    /// <summary>The field called <paramref name="name"/> (not matching aliases).</summary>
    /// <exception cref="KeyNotFoundException">The record has no such field.</exception>
    public AvroField GetField(string name) =>
        TryGetField(name, out var field) ? field : throw new KeyNotFoundException($"record '{FullName}' has no field '{name}'");

    /// <summary>Looks up a field by name (not matching aliases).</summary>
    public bool TryGetField(string name, [MaybeNullWhen(false)] out AvroField field) => _byName.TryGetValue(name, out field);

    internal void SetFields(IEnumerable<AvroField> fields)
    {
        var list = new List<AvroField>();
        var byName = new Dictionary<string, AvroField>(StringComparer.Ordinal);
        foreach (var field in fields)
        {
            ArgumentNullException.ThrowIfNull(field);
            var placed = field.AtPosition(list.Count);
            if (!byName.TryAdd(placed.Name, placed))
            {
                throw new AvroSchemaException($"record '{FullName}': field '{placed.Name}' is defined twice");
            }

            list.Add(placed);
        }

        _fields = [.. list];
        _byName = byName;
    }
}
