namespace KafkaCdc.Shared.Avro;

/// <summary>An enum → <see cref="GenericEnum"/>, one shared instance per symbol.</summary>
internal sealed class EnumDecoder : DatumDecoder
{
    private readonly GenericEnum[] _symbols;

    public EnumDecoder(EnumSchema schema)
        : base(schema, 1)
    {
        _symbols = [.. Enumerable.Range(0, schema.Symbols.Count).Select(i => new GenericEnum(schema, i))];
    }

    public override object? Read(ref AvroBinaryReader reader)
    {
        var start = reader.Position;
        var index = reader.ReadInt();
        return (uint)index < (uint)_symbols.Length
            ? _symbols[index]
            : throw new AvroDecodingException(
                $"enum index {index} out of range: '{((EnumSchema)Schema).FullName}' has {_symbols.Length} symbols", start);
    }
}

/// <summary>A fixed → <see cref="GenericFixed"/>.</summary>
internal sealed class FixedDecoder(FixedSchema schema) : DatumDecoder(schema, schema.Size)
{
    public override object? Read(ref AvroBinaryReader reader) => new GenericFixed(schema, reader.ReadFixed(schema.Size).ToArray());
}
