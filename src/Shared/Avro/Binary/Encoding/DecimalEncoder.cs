using System.Numerics;

namespace KafkaCdc.Shared.Avro;

/// <summary>
/// <c>decimal</c> on <c>bytes</c> or <c>fixed</c>: the unscaled value at the schema's scale as big-endian two's
/// complement — minimal length for bytes, sign-extended to the size for fixed. Accepts <see cref="AvroDecimal"/>,
/// <see cref="decimal"/> and <see cref="BigInteger"/> (an integer, i.e. scale 0, not an unscaled value), rescaled
/// only when exact; the digits must fit the precision. The underlying <c>bytes</c> (<see cref="T:byte[]"/>) or fixed
/// (<see cref="GenericFixed"/>, <see cref="T:byte[]"/>) value is written as it is.
/// </summary>
internal sealed class DecimalEncoder : DatumEncoder
{
    private readonly int _precision;
    private readonly int _scale;
    private readonly int _fixedSize;
    private readonly BigInteger _limit;
    private readonly UInt128 _limit128;

    /// <param name="schema">The bytes or fixed schema.</param>
    /// <param name="decimalType">Its logical type.</param>
    /// <param name="fixedSize">The fixed size, or −1 for bytes.</param>
    public DecimalEncoder(AvroSchema schema, DecimalLogicalType decimalType, int fixedSize)
        : base(schema)
    {
        _precision = decimalType.Precision;
        _scale = decimalType.Scale;
        _fixedSize = fixedSize;
        _limit = DecimalDigits.Pow10(_precision);
        _limit128 = _precision <= 38 ? (UInt128)_limit : UInt128.MaxValue;
    }

    public override void Write(ref AvroBinaryWriter writer, object? value)
    {
        switch (value)
        {
            case AvroDecimal avroDecimal:
                WriteUnscaled(ref writer, Rescale(avroDecimal));
                break;
            case decimal clrDecimal:
                WriteDecimal(ref writer, clrDecimal);
                break;
            case BigInteger integer:
                WriteUnscaled(ref writer, Rescale(new AvroDecimal(integer, 0)));
                break;
            case byte[] raw:
                WriteRaw(ref writer, raw);
                break;
            case GenericFixed fixedValue when _fixedSize >= 0 && fixedValue.Schema.FullName == ((FixedSchema)Schema).FullName:
                writer.WriteFixed(fixedValue.Value);
                break;
            default:
                throw Mismatch(value);
        }
    }

    private BigInteger Rescale(AvroDecimal value)
    {
        if (!value.TryRescale(_scale, out var rescaled))
        {
            throw Invalid($"{Shorten(value)} cannot be written with scale {_scale} without rounding");
        }

        if (BigInteger.Abs(rescaled.Unscaled) >= _limit)
        {
            throw Invalid($"{Shorten(value)} has more than the {_precision} digits of decimal({_precision},{_scale})");
        }

        return rescaled.Unscaled;
    }

    private void WriteUnscaled(ref AvroBinaryWriter writer, BigInteger unscaled)
    {
        var length = unscaled.GetByteCount();
        var size = _fixedSize < 0 ? length : _fixedSize;
        if (length > size)
        {
            throw Invalid($"unscaled value needs {length} bytes, more than the {_fixedSize} of fixed '{((FixedSchema)Schema).FullName}'");
        }

        if (_fixedSize < 0)
        {
            writer.WriteLong(length);
        }

        var span = writer.GetSpan(size);
        span[..(size - length)].Fill(unscaled.Sign < 0 ? (byte)0xff : (byte)0);
        unscaled.TryWriteBytes(span[(size - length)..size], out _, isUnsigned: false, isBigEndian: true);
        writer.Advance(size);
    }

    /// <summary>The common case of a <see cref="decimal"/>, in 128-bit integers to avoid allocating; falls back to <see cref="BigInteger"/> when that could overflow.</summary>
    private void WriteDecimal(ref AvroBinaryWriter writer, decimal value)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        var magnitude = ((UInt128)(uint)bits[2] << 64) | ((ulong)(uint)bits[1] << 32) | (uint)bits[0];
        var scale = (bits[3] >> 16) & 0xff;
        var negative = bits[3] < 0;

        if (scale > _scale)
        {
            var divisor = UInt128Pow10(scale - _scale);
            var (quotient, remainder) = UInt128.DivRem(magnitude, divisor);
            if (remainder != 0)
            {
                throw Invalid($"{value} cannot be written with scale {_scale} without rounding");
            }

            magnitude = quotient;
        }
        else if (scale < _scale)
        {
            // A decimal's magnitude is below 2^96, so 10^9 more stays below 2^127; beyond that, use BigInteger.
            if (_scale - scale > 9)
            {
                WriteUnscaled(ref writer, Rescale(AvroDecimal.FromDecimal(value)));
                return;
            }

            magnitude *= UInt128Pow10(_scale - scale);
        }

        if (magnitude >= _limit128)
        {
            throw Invalid($"{value} has more than the {_precision} digits of decimal({_precision},{_scale})");
        }

        var unscaled = negative ? -(Int128)magnitude : (Int128)magnitude;
        var length = TwosComplementLength(unscaled);
        var size = _fixedSize < 0 ? length : _fixedSize;
        if (length > size)
        {
            throw Invalid($"unscaled value needs {length} bytes, more than the {_fixedSize} of fixed '{((FixedSchema)Schema).FullName}'");
        }

        if (_fixedSize < 0)
        {
            writer.WriteLong(length);
        }

        var span = writer.GetSpan(size);
        for (var i = 0; i < size; i++)
        {
            // Arithmetic shift: bytes above the value's length repeat the sign.
            var shift = 8 * (size - 1 - i);
            span[i] = shift >= 128 ? (negative ? (byte)0xff : (byte)0) : (byte)(unscaled >> shift);
        }

        writer.Advance(size);
    }

    private void WriteRaw(ref AvroBinaryWriter writer, byte[] raw)
    {
        if (_fixedSize < 0)
        {
            writer.WriteBytes(raw);
            return;
        }

        if (raw.Length != _fixedSize)
        {
            throw Invalid($"fixed '{((FixedSchema)Schema).FullName}' holds {_fixedSize} bytes, got {raw.Length}");
        }

        writer.WriteFixed(raw);
    }

    private static int TwosComplementLength(Int128 value)
    {
        var significant = value < 0 ? ~value : value;
        var bits = 128 - (int)Int128.LeadingZeroCount(significant) + 1;
        return (bits + 7) / 8;
    }

    private static UInt128 UInt128Pow10(int exponent)
    {
        UInt128 result = 1;
        for (var i = 0; i < exponent; i++)
        {
            result *= 10;
        }

        return result;
    }

    private static string Shorten(AvroDecimal value)
    {
        var text = value.ToString();
        return text.Length <= 60 ? text : $"{text[..30]}...({text.Length} chars)";
    }
}
