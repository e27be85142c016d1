namespace KafkaCdc.Shared.Avro;

/// <summary>
/// A record value: its <see cref="RecordSchema"/> and one value per field, in field order. Field values use the
/// generic representation described in <c>src/Shared/Avro/README.md</c> (e.g. <see cref="long"/> for <c>long</c>,
/// <see cref="AvroDecimal"/> for decimals, <see cref="GenericRecord"/> for nested records).
/// </summary>
/// <remarks>Mutable, like an array: set fields by position or name before writing. Not thread-safe.</remarks>
public sealed class GenericRecord : IEquatable<GenericRecord>
{
    private readonly object?[] _values;

    /// <summary>Creates a record of <paramref name="schema"/> with every field null.</summary>
    public GenericRecord(RecordSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        Schema = schema;
        _values = new object?[schema.Fields.Count];
    }

    /// <summary>Creates a record of <paramref name="schema"/> over <paramref name="values"/>, one per field in order. The record uses the array itself, not a copy.</summary>
    /// <exception cref="ArgumentException">The number of values differs from the number of fields.</exception>
    public GenericRecord(RecordSchema schema, object?[] values)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(values);
        if (values.Length != schema.Fields.Count)
        {
            throw new ArgumentException(
                $"record '{schema.FullName}' has {schema.Fields.Count} fields, got {values.Length} values", nameof(values));
        }

        Schema = schema;
        _values = values;
    }

    /// <summary>The record's schema.</summary>
    public RecordSchema Schema { get; }

    /// <summary>The number of fields.</summary>
    public int Count => _values.Length;

    /// <summary>The value of the field at <paramref name="position"/>.</summary>
    public object? this[int position]
    {
        get => _values[position];
        set => _values[position] = value;
    }

    /// <summary>The value of the field called <paramref name="fieldName"/>.</summary>
    /// <exception cref="KeyNotFoundException">The schema has no such field.</exception>
    public object? this[string fieldName]
    {
        get => _values[Schema.GetField(fieldName).Position];
        set => _values[Schema.GetField(fieldName).Position] = value;
    }

    /// <summary>Gets the value of a field by name, if the schema has it.</summary>
    public bool TryGetValue(string fieldName, out object? value)
    {
        if (Schema.TryGetField(fieldName, out var field))
        {
            value = _values[field.Position];
            return true;
        }

        value = null;
        return false;
    }

    /// <summary>The values array itself, for the encoders.</summary>
    internal object?[] Values => _values;

    /// <summary>Equal schema (structurally) and deeply equal values; byte arrays compare by content.</summary>
    public bool Equals(GenericRecord? other) =>
        other is not null && (ReferenceEquals(this, other) || (Schema.Equals(other.Schema) && GenericDatum.ValuesEqual(_values, other._values)));

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as GenericRecord);

    /// <summary>Depends only on the schema's name and field count, as the values are mutable.</summary>
    public override int GetHashCode() => HashCode.Combine(Schema.FullName, _values.Length);

    /// <summary>A JSON-like rendering for diagnostics, e.g. <c>{"id": 1, "note": null}</c>.</summary>
    public override string ToString() => GenericDatum.Render(this);
}
