using System.Globalization;
using System.Text.Json;
using Avro;
using Newtonsoft.Json.Linq;

namespace KafkaCdc.Shared.AvroFormat;

/// <summary>
/// Builds and inspects Apache.Avro schemas (<see cref="Schema"/>) the way KafkaCdc uses them: primitives with
/// properties (<c>connect.name</c>), logical types, nullable unions with a null default, records whose fields carry
/// <c>kafkacdc.*</c> properties. Apache.Avro is the schema model; this only spares callers its construction details
/// (property values are JSON text, logical types are made by parsing).
/// </summary>
public static class AvroSchemas
{
    /// <summary>Property naming the Kafka Connect schema a value follows (Debezium's semantic types).</summary>
    public const string ConnectName = "connect.name";

    /// <summary><c>null</c>.</summary>
    public static PrimitiveSchema Null { get; } = PrimitiveSchema.Create(Schema.Type.Null);

    /// <summary><c>boolean</c>.</summary>
    public static PrimitiveSchema Boolean { get; } = PrimitiveSchema.Create(Schema.Type.Boolean);

    /// <summary><c>int</c>.</summary>
    public static PrimitiveSchema Int { get; } = PrimitiveSchema.Create(Schema.Type.Int);

    /// <summary><c>long</c>.</summary>
    public static PrimitiveSchema Long { get; } = PrimitiveSchema.Create(Schema.Type.Long);

    /// <summary><c>float</c>.</summary>
    public static PrimitiveSchema Float { get; } = PrimitiveSchema.Create(Schema.Type.Float);

    /// <summary><c>double</c>.</summary>
    public static PrimitiveSchema Double { get; } = PrimitiveSchema.Create(Schema.Type.Double);

    /// <summary><c>bytes</c>.</summary>
    public static PrimitiveSchema Bytes { get; } = PrimitiveSchema.Create(Schema.Type.Bytes);

    /// <summary><c>string</c>.</summary>
    public static PrimitiveSchema String { get; } = PrimitiveSchema.Create(Schema.Type.String);

    /// <summary>A primitive of <paramref name="type"/> with a <c>connect.name</c> property.</summary>
    public static PrimitiveSchema Named(Schema.Type type, string connectName) =>
        PrimitiveSchema.Create(type, Properties([new(ConnectName, connectName)]));

    /// <summary>A logical type over a primitive: <c>{"type": base, "logicalType": name}</c> plus <paramref name="properties"/>.</summary>
    public static LogicalSchema Logical(Schema.Type baseType, string logicalType, params IEnumerable<KeyValuePair<string, object?>> properties)
    {
        var json = new Dictionary<string, object?> { ["type"] = Schema.GetTypeString(baseType), ["logicalType"] = logicalType };
        foreach (var (name, value) in properties) json[name] = value;
        return (LogicalSchema)Schema.Parse(Newtonsoft.Json.JsonConvert.SerializeObject(json));
    }

    /// <summary><c>bytes</c> with logical type <c>decimal(precision, scale)</c>.</summary>
    public static LogicalSchema Decimal(int precision, int scale) =>
        Logical(Schema.Type.Bytes, "decimal", [new("precision", precision), new("scale", scale)]);

    /// <summary><c>[null, schema]</c> (a union gains a leading null branch unless it has one).</summary>
    public static UnionSchema Nullable(Schema schema) => schema switch
    {
        UnionSchema union when union.Schemas.Any(b => b.Tag == Schema.Type.Null) => union,
        UnionSchema union => UnionSchema.Create([Null, .. union.Schemas]),
        _ => UnionSchema.Create([Null, schema]),
    };

    /// <summary>A union of <paramref name="branches"/>, in order.</summary>
    public static UnionSchema Union(params Schema[] branches) => UnionSchema.Create([.. branches]);

    /// <summary>An array of <paramref name="items"/>.</summary>
    public static ArraySchema Array(Schema items) => ArraySchema.Create(items);

    /// <summary>A record of <paramref name="fields"/>, positioned in order, with the record-level <paramref name="properties"/> (JSON values), if any.</summary>
    public static RecordSchema Record(string name, string? space, IEnumerable<FieldDefinition> fields,
        IReadOnlyList<KeyValuePair<string, object?>>? properties = null) =>
        RecordSchema.Create(name, [.. fields.Select((f, i) => f.ToField(i))], space,
            customProperties: properties is { Count: > 0 } ? Properties(properties) : null);

    /// <summary>A record field: its name, schema, properties (JSON values) and default, if any (a JSON value; null is JSON null).</summary>
    public sealed record FieldDefinition(string Name, Schema Schema, IReadOnlyList<KeyValuePair<string, object?>>? Properties = null)
    {
        /// <summary>Whether the field has a default (<see cref="Default"/>, which may be null).</summary>
        public bool HasDefault { get; init; }

        /// <summary>The default value, when <see cref="HasDefault"/>.</summary>
        public object? Default { get; init; }

        /// <summary>A field whose schema is <c>[null, schema]</c> with default null.</summary>
        public static FieldDefinition Optional(string name, Schema schema, IReadOnlyList<KeyValuePair<string, object?>>? properties = null) =>
            new(name, Nullable(schema), properties) { HasDefault = true };

        internal Field ToField(int position) =>
            new(Schema, Name, position,
                defaultValue: HasDefault ? (Default is null ? JValue.CreateNull() : JToken.FromObject(Default)) : null,
                customProperties: Properties is { Count: > 0 } ? AvroSchemas.Properties(Properties) : null);
    }

    /// <summary>
    /// The same schema with the logical types that Apache.Avro converts to .NET date, time and Guid values left out (the
    /// properties stay): the same bytes, read and written as the raw int, long or string. Those conversions cannot hold
    /// every value PostgreSQL has (dates past 9999, <c>24:00:00</c>), and <c>local-timestamp-*</c> is turned into the
    /// machine's local time. <c>decimal</c> stays (<see cref="AvroDecimal"/> is exact).
    /// </summary>
    public static Schema WithoutConvertedLogicalTypes(Schema schema)
    {
        var json = System.Text.Json.Nodes.JsonNode.Parse(schema.ToString())!;
        return Strip(json) ? Schema.Parse(json.ToJsonString()) : schema;

        static bool Strip(System.Text.Json.Nodes.JsonNode? node)
        {
            var changed = false;
            switch (node)
            {
                case System.Text.Json.Nodes.JsonObject json:
                    if (json["logicalType"] is System.Text.Json.Nodes.JsonValue name && name.TryGetValue<string>(out var logical) && logical != "decimal")
                    {
                        json.Remove("logicalType");
                        changed = true;
                    }

                    foreach (var (_, child) in json.ToList()) changed |= Strip(child);
                    break;
                case System.Text.Json.Nodes.JsonArray array:
                    foreach (var child in array) changed |= Strip(child);
                    break;
            }

            return changed;
        }
    }

    /// <summary>A record of <paramref name="schema"/> holding <paramref name="values"/> in field order.</summary>
    /// <exception cref="ArgumentException">Not one value per field.</exception>
    public static Avro.Generic.GenericRecord NewRecord(RecordSchema schema, params object?[] values)
    {
        if (values.Length != schema.Count)
            throw new ArgumentException($"record {schema.Fullname} has {schema.Count} fields, got {values.Length} values", nameof(values));
        var record = new Avro.Generic.GenericRecord(schema);
        for (var i = 0; i < values.Length; i++) record.Add(i, values[i]);
        return record;
    }

    /// <summary>The branches of a union other than null, or the schema itself.</summary>
    public static IReadOnlyList<Schema> NonNullBranches(Schema schema) =>
        schema is UnionSchema union ? [.. union.Schemas.Where(b => b.Tag != Schema.Type.Null)] : [schema];

    /// <summary>The one non-null branch of <c>[null, T]</c>, or the schema itself.</summary>
    public static Schema Unwrap(Schema schema) => NonNullBranches(schema) is [var only] ? only : schema;

    /// <summary>The primitive type under a logical type, or the schema's own type.</summary>
    public static Schema.Type BaseType(Schema schema) => schema is LogicalSchema logical ? logical.BaseSchema.Tag : schema.Tag;

    /// <summary>The logical type's name (<c>decimal</c>, <c>date</c>...), or null.</summary>
    public static string? LogicalTypeName(Schema schema) => (schema as LogicalSchema)?.LogicalTypeName;

    /// <summary>True for a plain <c>string</c> (no logical type).</summary>
    public static bool IsPlainString(Schema schema) => schema.Tag == Schema.Type.String;

    /// <summary>True for a plain <c>bytes</c> (no logical type).</summary>
    public static bool IsPlainBytes(Schema schema) => schema.Tag == Schema.Type.Bytes;

    /// <summary>Precision and scale of a <c>decimal</c> logical type (on bytes or fixed), else null.</summary>
    public static (int Precision, int Scale)? DecimalOf(Schema schema) =>
        schema is LogicalSchema { LogicalTypeName: "decimal" } logical
            ? (int.Parse(logical.GetProperty("precision"), CultureInfo.InvariantCulture),
                logical.GetProperty("scale") is { } scale ? int.Parse(scale, CultureInfo.InvariantCulture) : 0)
            : null;

    /// <summary>A string-valued property of a schema (Apache.Avro keeps property values as JSON text), or null.</summary>
    public static string? StringProperty(Schema schema, string name) => AsString(schema.GetProperty(name));

    /// <summary>A string-valued property of a field, or null when absent or not a string.</summary>
    public static string? StringProperty(Field field, string name) => AsString(field.GetProperty(name));

    /// <summary>An int-valued property of a field, or null when absent or not an int.</summary>
    public static int? IntProperty(Field field, string name) =>
        Parse(field.GetProperty(name)) is { ValueKind: JsonValueKind.Number } value && value.TryGetInt32(out var number) ? number : null;

    /// <summary>A boolean property of a field, or null when absent or not a boolean.</summary>
    public static bool? BooleanProperty(Field field, string name) =>
        Parse(field.GetProperty(name)) is { ValueKind: JsonValueKind.True or JsonValueKind.False } value ? value.GetBoolean() : null;

    /// <summary>The properties of a field or schema as Apache.Avro holds them: name to JSON text.</summary>
    public static PropertyMap Properties(IEnumerable<KeyValuePair<string, object?>> properties)
    {
        var map = new PropertyMap();
        // As Apache.Avro writes a parsed property (Newtonsoft), so that a schema built here and the same schema parsed
        // back from the registry print alike.
        foreach (var (name, value) in properties) map.Set(name, Newtonsoft.Json.JsonConvert.SerializeObject(value));
        return map;
    }

    static string? AsString(string? json) => Parse(json) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    static JsonElement? Parse(string? json)
    {
        if (json is null) return null;
        try
        {
            return JsonSerializer.Deserialize<JsonElement>(json);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
