using System.Numerics;

namespace KafkaCdc.Shared.Avro;

/// <summary><c>null</c>: no bytes, null.</summary>
internal sealed class NullDecoder(AvroSchema schema) : DatumDecoder(schema, 0)
{
    public override object? Read(ref AvroBinaryReader reader) => null;
}

/// <summary><c>boolean</c> → <see cref="bool"/>.</summary>
internal sealed class BooleanDecoder(AvroSchema schema) : DatumDecoder(schema, 1)
{
    public override object? Read(ref AvroBinaryReader reader) => reader.ReadBoolean() ? Boxes.True : Boxes.False;
}

/// <summary><c>int</c> (also <c>date</c> and <c>time-millis</c>) → <see cref="int"/>.</summary>
internal sealed class IntDecoder(AvroSchema schema) : DatumDecoder(schema, 1)
{
    public override object? Read(ref AvroBinaryReader reader) => Boxes.Int(reader.ReadInt());
}

/// <summary><c>long</c> (also times and timestamps) → <see cref="long"/>.</summary>
internal sealed class LongDecoder(AvroSchema schema) : DatumDecoder(schema, 1)
{
    public override object? Read(ref AvroBinaryReader reader) => Boxes.Long(reader.ReadLong());
}

/// <summary><c>float</c> → <see cref="float"/>.</summary>
internal sealed class FloatDecoder(AvroSchema schema) : DatumDecoder(schema, 4)
{
    public override object? Read(ref AvroBinaryReader reader) => reader.ReadFloat();
}

/// <summary><c>double</c> → <see cref="double"/>.</summary>
internal sealed class DoubleDecoder(AvroSchema schema) : DatumDecoder(schema, 8)
{
    public override object? Read(ref AvroBinaryReader reader) => reader.ReadDouble();
}

/// <summary><c>bytes</c> → <see cref="T:byte[]"/>.</summary>
internal sealed class BytesDecoder(AvroSchema schema) : DatumDecoder(schema, 1)
{
    public override object? Read(ref AvroBinaryReader reader) => reader.ReadBytes();
}

/// <summary><c>string</c> (also <c>uuid</c>) → <see cref="string"/>.</summary>
internal sealed class StringDecoder(AvroSchema schema) : DatumDecoder(schema, 1)
{
    public override object? Read(ref AvroBinaryReader reader) => reader.ReadString();
}

/// <summary><c>decimal</c> on bytes or fixed → <see cref="AvroDecimal"/> at the schema's scale. Empty bytes are rejected: two's complement needs at least one byte.</summary>
internal sealed class DecimalDecoder(AvroSchema schema, DecimalLogicalType decimalType, int fixedSize)
    : DatumDecoder(schema, Math.Max(1, fixedSize))
{
    private readonly int _scale = decimalType.Scale;

    public override object? Read(ref AvroBinaryReader reader)
    {
        var start = reader.Position;
        var bytes = fixedSize < 0 ? reader.ReadBytesSpan() : reader.ReadFixed(fixedSize);
        if (bytes.IsEmpty)
        {
            throw new AvroDecodingException("decimal with zero bytes (two's complement needs at least one)", start);
        }

        return new AvroDecimal(new BigInteger(bytes, isUnsigned: false, isBigEndian: true), _scale);
    }
}
