using System.Text.Json.Nodes;

namespace KafkaCdc.Shared.Avro;

/// <summary>
/// An immutable Avro schema (<see href="https://avro.apache.org/docs/1.11.1/specification/">Avro 1.11 specification</see>):
/// parsed from JSON with <see cref="Parse"/> or built in code from the subclasses and the factory members here.
/// </summary>
/// <remarks>
/// Equality is structural: two schemas are equal when their <see cref="ToJson"/> forms are identical, so custom
/// properties, docs and defaults count; use <see cref="Fingerprint64"/> or <see cref="ToCanonicalForm"/> to compare
/// only what affects the binary encoding. Instances are thread-safe; derived forms are computed once and cached.
/// </remarks>
public abstract class AvroSchema : IEquatable<AvroSchema>
{
    private string? _json;
    private string? _canonicalForm;
    private long _fingerprint;
    private bool _hasFingerprint;

    private protected AvroSchema(SchemaProperties properties) => PropertyMap = properties;

    /// <summary>Which kind of schema this is.</summary>
    public abstract AvroType Type { get; }

    /// <summary>The logical type annotating this schema, or <see langword="null"/>; only primitives and fixed have one.</summary>
    public virtual LogicalType? LogicalType => null;

    /// <summary>
    /// Custom attributes (any attribute the specification does not define for this type, such as
    /// <c>kafkacdc.pg.type</c>), kept through parsing and <see cref="ToJson"/>. Values are copies: changing one does
    /// not change the schema. Unions have none, as their JSON is an array.
    /// </summary>
    public IReadOnlyDictionary<string, JsonNode?> Properties => PropertyMap;

    internal SchemaProperties PropertyMap { get; }

    /// <summary>The compiled encoder tree of <see cref="AvroDatumWriter"/>, built on first use (a field for <see cref="Interlocked"/>).</summary>
    internal object? CompiledEncoderSlot;

    /// <summary>The compiled decoder tree of <see cref="AvroDatumReader"/>, built on first use.</summary>
    internal object? CompiledDecoderSlot;

    /// <summary>The <c>null</c> schema.</summary>
    public static PrimitiveSchema Null { get; } = new(AvroType.Null);

    /// <summary>The <c>boolean</c> schema.</summary>
    public static PrimitiveSchema Boolean { get; } = new(AvroType.Boolean);

    /// <summary>The <c>int</c> schema.</summary>
    public static PrimitiveSchema Int { get; } = new(AvroType.Int);

    /// <summary>The <c>long</c> schema.</summary>
    public static PrimitiveSchema Long { get; } = new(AvroType.Long);

    /// <summary>The <c>float</c> schema.</summary>
    public static PrimitiveSchema Float { get; } = new(AvroType.Float);

    /// <summary>The <c>double</c> schema.</summary>
    public static PrimitiveSchema Double { get; } = new(AvroType.Double);

    /// <summary>The <c>bytes</c> schema.</summary>
    public static PrimitiveSchema Bytes { get; } = new(AvroType.Bytes);

    /// <summary>The <c>string</c> schema.</summary>
    public static PrimitiveSchema String { get; } = new(AvroType.String);

    /// <summary><c>{"type":"string","logicalType":"uuid"}</c>.</summary>
    public static PrimitiveSchema Uuid { get; } = new(AvroType.String, LogicalType.Uuid);

    /// <summary><c>{"type":"int","logicalType":"date"}</c>.</summary>
    public static PrimitiveSchema Date { get; } = new(AvroType.Int, LogicalType.Date);

    /// <summary><c>{"type":"int","logicalType":"time-millis"}</c>.</summary>
    public static PrimitiveSchema TimeMillis { get; } = new(AvroType.Int, LogicalType.TimeMillis);

    /// <summary><c>{"type":"long","logicalType":"time-micros"}</c>.</summary>
    public static PrimitiveSchema TimeMicros { get; } = new(AvroType.Long, LogicalType.TimeMicros);

    /// <summary><c>{"type":"long","logicalType":"timestamp-millis"}</c>.</summary>
    public static PrimitiveSchema TimestampMillis { get; } = new(AvroType.Long, LogicalType.TimestampMillis);

    /// <summary><c>{"type":"long","logicalType":"timestamp-micros"}</c>.</summary>
    public static PrimitiveSchema TimestampMicros { get; } = new(AvroType.Long, LogicalType.TimestampMicros);

    /// <summary><c>{"type":"long","logicalType":"local-timestamp-millis"}</c>.</summary>
    public static PrimitiveSchema LocalTimestampMillis { get; } = new(AvroType.Long, LogicalType.LocalTimestampMillis);

    /// <summary><c>{"type":"long","logicalType":"local-timestamp-micros"}</c>.</summary>
    public static PrimitiveSchema LocalTimestampMicros { get; } = new(AvroType.Long, LogicalType.LocalTimestampMicros);

    /// <summary>A <c>bytes</c> decimal: <c>{"type":"bytes","logicalType":"decimal","precision":p,"scale":s}</c>.</summary>
    /// <exception cref="AvroSchemaException">The precision or scale is invalid.</exception>
    public static PrimitiveSchema Decimal(int precision, int scale) =>
        new(AvroType.Bytes, new DecimalLogicalType(precision, scale));

    /// <summary>The union of <c>null</c> and <paramref name="schema"/>, null first (so a field of it can default to null).</summary>
    /// <remarks>A union already containing null is returned as it is; another union gets null added in front.</remarks>
    public static UnionSchema Nullable(AvroSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        if (schema is UnionSchema union)
        {
            return union.Branches.Any(b => b.Type == AvroType.Null) ? union : new UnionSchema([Null, .. union.Branches]);
        }

        return new UnionSchema([Null, schema]);
    }

    /// <summary>An array of <paramref name="items"/>.</summary>
    public static ArraySchema Array(AvroSchema items) => new(items);

    /// <summary>A map with values of <paramref name="values"/>.</summary>
    public static MapSchema Map(AvroSchema values) => new(values);

    /// <summary>A union of <paramref name="branches"/>, in order.</summary>
    public static UnionSchema Union(params AvroSchema[] branches) => new(branches);

    /// <summary>
    /// Parses a schema from its JSON form: a primitive name (<c>"string"</c>), an object (<c>{"type":"string"}</c>,
    /// records, enums, arrays, maps, fixed) or an array (a union).
    /// </summary>
    /// <exception cref="AvroSchemaException">The text is not JSON or not a valid schema; the message says what and where.</exception>
    public static AvroSchema Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return SchemaParser.Parse(json);
    }

    /// <summary>
    /// The full JSON form: compact, with docs, defaults, aliases, logical types and custom properties. It is
    /// deterministic (custom properties sorted by key), so equal schemas give byte-identical text — the text a
    /// schema registry stores and deduplicates on. Named types are defined at first use and referenced afterwards;
    /// aliases are written fully qualified.
    /// </summary>
    public string ToJson() => _json ??= SchemaJsonWriter.Write(this);

    /// <summary>The <see href="https://avro.apache.org/docs/1.11.1/specification/#parsing-canonical-form-for-schemas">Parsing Canonical Form</see>.</summary>
    public string ToCanonicalForm() => _canonicalForm ??= CanonicalFormWriter.Write(this);

    /// <summary>The CRC-64-AVRO fingerprint of the UTF-8 <see cref="ToCanonicalForm"/>, as a signed value like Java's <c>SchemaNormalization.parsingFingerprint64</c>.</summary>
    public long Fingerprint64
    {
        get
        {
            if (!Volatile.Read(ref _hasFingerprint))
            {
                _fingerprint = AvroFingerprint.Crc64(ToCanonicalForm());
                Volatile.Write(ref _hasFingerprint, true);
            }

            return _fingerprint;
        }
    }

    /// <inheritdoc />
    public bool Equals(AvroSchema? other) =>
        other is not null && (ReferenceEquals(this, other) || string.Equals(ToJson(), other.ToJson(), StringComparison.Ordinal));

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as AvroSchema);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(ToJson());

    /// <summary>The <see cref="ToJson"/> form.</summary>
    public override string ToString() => ToJson();

    /// <summary>A short description for error messages: the type name, with the logical type or the full name.</summary>
    internal abstract string Describe();
}
