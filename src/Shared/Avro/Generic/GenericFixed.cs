namespace KafkaCdc.Shared.Avro;

/// <summary>A fixed value: its <see cref="FixedSchema"/> and exactly <see cref="FixedSchema.Size"/> bytes.</summary>
public sealed class GenericFixed : IEquatable<GenericFixed>
{
    /// <summary>Creates a fixed value over <paramref name="value"/> (the array itself, not a copy).</summary>
    /// <exception cref="ArgumentException">The length differs from the schema's size.</exception>
    public GenericFixed(FixedSchema schema, byte[] value)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length != schema.Size)
        {
            throw new ArgumentException($"fixed '{schema.FullName}' holds {schema.Size} bytes, got {value.Length}", nameof(value));
        }

        Schema = schema;
        Value = value;
    }

    /// <summary>The fixed's schema.</summary>
    public FixedSchema Schema { get; }

    /// <summary>The bytes.</summary>
    public byte[] Value { get; }

    /// <summary>Same fixed full name and bytes.</summary>
    public bool Equals(GenericFixed? other) =>
        other is not null && other.Schema.FullName == Schema.FullName && other.Value.AsSpan().SequenceEqual(Value);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as GenericFixed);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Schema.FullName, Value.Length);

    /// <summary>The bytes in hex.</summary>
    public override string ToString() => Convert.ToHexString(Value);
}
