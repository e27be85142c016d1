namespace KafkaCdc.Shared.Avro;

/// <summary>An enum: accepts a <see cref="GenericEnum"/> of the same full name, or a symbol <see cref="string"/>.</summary>
internal sealed class EnumEncoder(EnumSchema schema) : DatumEncoder(schema)
{
    private readonly EnumSchema _schema = schema;

    public override void Write(ref AvroBinaryWriter writer, object? value)
    {
        var index = value switch
        {
            GenericEnum symbol when ReferenceEquals(symbol.Schema, _schema) => symbol.Index,
            GenericEnum symbol when symbol.Schema.FullName == _schema.FullName => IndexOf(symbol.Symbol),
            string symbol => IndexOf(symbol),
            _ => throw Mismatch(value),
        };
        writer.WriteEnumIndex(index);
    }

    private int IndexOf(string symbol)
    {
        var index = _schema.IndexOf(symbol);
        return index >= 0 ? index : throw Invalid($"enum '{_schema.FullName}' has no symbol '{symbol}'");
    }
}

/// <summary>A fixed: accepts a <see cref="GenericFixed"/> of the same full name, or a <see cref="T:byte[]"/>, of exactly the size.</summary>
internal sealed class FixedEncoder(FixedSchema schema) : DatumEncoder(schema)
{
    private readonly FixedSchema _schema = schema;

    public override void Write(ref AvroBinaryWriter writer, object? value)
    {
        var bytes = value switch
        {
            GenericFixed fixedValue when fixedValue.Schema.FullName == _schema.FullName => fixedValue.Value,
            byte[] raw => raw,
            _ => throw Mismatch(value),
        };
        if (bytes.Length != _schema.Size)
        {
            throw Invalid($"fixed '{_schema.FullName}' holds {_schema.Size} bytes, got {bytes.Length}");
        }

        writer.WriteFixed(bytes);
    }
}
