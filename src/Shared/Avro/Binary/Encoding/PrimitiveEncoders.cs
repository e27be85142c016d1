namespace KafkaCdc.Shared.Avro;

/// <summary><c>null</c>: accepts only null and writes nothing.</summary>
internal sealed class NullEncoder(AvroSchema schema) : DatumEncoder(schema)
{
    public override void Write(ref AvroBinaryWriter writer, object? value)
    {
        if (value is not null)
        {
            throw Mismatch(value);
        }
    }
}

/// <summary><c>boolean</c>: accepts <see cref="bool"/>.</summary>
internal sealed class BooleanEncoder(AvroSchema schema) : DatumEncoder(schema)
{
    public override void Write(ref AvroBinaryWriter writer, object? value) =>
        writer.WriteBoolean(value is bool b ? b : throw Mismatch(value));
}

/// <summary><c>int</c>: accepts <see cref="int"/> and the narrower integer types, never a silently narrowed long.</summary>
internal sealed class IntEncoder(AvroSchema schema) : DatumEncoder(schema)
{
    public override void Write(ref AvroBinaryWriter writer, object? value) =>
        writer.WriteInt(AsInt(value) ?? throw Mismatch(value));

    public static int? AsInt(object? value) => value switch
    {
        int i => i,
        short s => s,
        sbyte sb => sb,
        byte b => b,
        ushort us => us,
        _ => null,
    };
}

/// <summary><c>long</c>: accepts <see cref="long"/>, <see cref="int"/> and narrower integers, <see cref="uint"/>.</summary>
internal sealed class LongEncoder(AvroSchema schema) : DatumEncoder(schema)
{
    public override void Write(ref AvroBinaryWriter writer, object? value) =>
        writer.WriteLong(AsLong(value) ?? throw Mismatch(value));

    public static long? AsLong(object? value) => value switch
    {
        long l => l,
        int i => i,
        uint ui => ui,
        _ => IntEncoder.AsInt(value),
    };
}

/// <summary><c>float</c>: accepts <see cref="float"/> and integers (widened as a union would).</summary>
internal sealed class FloatEncoder(AvroSchema schema) : DatumEncoder(schema)
{
    public override void Write(ref AvroBinaryWriter writer, object? value) =>
        writer.WriteFloat(value is float f ? f : LongEncoder.AsLong(value) ?? throw Mismatch(value));
}

/// <summary><c>double</c>: accepts <see cref="double"/>, <see cref="float"/> and integers.</summary>
internal sealed class DoubleEncoder(AvroSchema schema) : DatumEncoder(schema)
{
    public override void Write(ref AvroBinaryWriter writer, object? value) =>
        writer.WriteDouble(value switch
        {
            double d => d,
            float f => f,
            _ => LongEncoder.AsLong(value) ?? throw Mismatch(value),
        });
}

/// <summary><c>bytes</c>: accepts <see cref="T:byte[]"/>, <see cref="ReadOnlyMemory{T}"/> and <see cref="ArraySegment{T}"/> of bytes.</summary>
internal sealed class BytesEncoder(AvroSchema schema) : DatumEncoder(schema)
{
    public override void Write(ref AvroBinaryWriter writer, object? value)
    {
        switch (value)
        {
            case byte[] bytes:
                writer.WriteBytes(bytes);
                break;
            case ReadOnlyMemory<byte> memory:
                writer.WriteBytes(memory.Span);
                break;
            case ArraySegment<byte> segment:
                writer.WriteBytes(segment);
                break;
            default:
                throw Mismatch(value);
        }
    }
}

/// <summary><c>string</c>: accepts <see cref="string"/>.</summary>
internal sealed class StringEncoder(AvroSchema schema) : DatumEncoder(schema)
{
    public override void Write(ref AvroBinaryWriter writer, object? value) =>
        writer.WriteString(value as string ?? throw Mismatch(value));
}
