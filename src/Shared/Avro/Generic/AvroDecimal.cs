using System.Globalization;
using System.Numerics;

namespace KafkaCdc.Shared.Avro;

/// <summary>
/// An exact decimal number of any size: <see cref="Unscaled"/> × 10^−<see cref="Scale"/>. The decoded form of the
/// <c>decimal</c> logical type. PostgreSQL numerics can have thousands of digits, so nothing here goes through
/// <see cref="double"/>, and <see cref="decimal"/> conversions succeed only when exact.
/// </summary>
/// <remarks>
/// Equality is by representation: 1.0 (10, scale 1) and 1.00 (100, scale 2) are different values, as the scale
/// is part of an Avro decimal; <see cref="CompareTo(AvroDecimal)"/> compares numerically. <c>default</c> is 0.
/// </remarks>
public readonly struct AvroDecimal : IEquatable<AvroDecimal>, IComparable<AvroDecimal>, IComparable
{
    // Parsing refuses exponents that would need more digits than PostgreSQL's numeric allows, plus a margin.
    private const int MaxDigitsFromExponent = 1_000_000;

    /// <summary>Creates <paramref name="unscaled"/> × 10^−<paramref name="scale"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="scale"/> is negative (Avro scales are not).</exception>
    public AvroDecimal(BigInteger unscaled, int scale)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(scale);
        Unscaled = unscaled;
        Scale = scale;
    }

    /// <summary>The value without its decimal point: 12.34 is 1234 at scale 2.</summary>
    public BigInteger Unscaled { get; }

    /// <summary>The number of digits after the decimal point.</summary>
    public int Scale { get; }

    /// <summary>−1, 0 or 1.</summary>
    public int Sign => Unscaled.Sign;

    /// <summary>The number of digits of <see cref="Unscaled"/> (1 for zero), the measure a decimal's precision limits.</summary>
    public int Precision => DecimalDigits.Count(Unscaled);

    /// <summary>
    /// Parses plain decimal text such as <c>-123.4500</c> (optionally with an exponent, <c>1.5E+3</c>). The scale is
    /// the number of digits after the point, less the exponent, and at least 0.
    /// </summary>
    /// <exception cref="FormatException">The text is not a decimal number (NaN and infinities are not).</exception>
    public static AvroDecimal Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text, out var value) ? value : throw new FormatException($"'{Shorten(text)}' is not a decimal number");
    }

    /// <summary>Parses like <see cref="Parse(string)"/>, returning <see langword="false"/> instead of throwing.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out AvroDecimal value)
    {
        value = default;
        var i = 0;
        var negative = false;
        if (i < text.Length && text[i] is '+' or '-')
        {
            negative = text[i] == '-';
            i++;
        }

        var integerStart = i;
        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            i++;
        }

        var integerDigits = text[integerStart..i];
        var fractionDigits = ReadOnlySpan<char>.Empty;
        if (i < text.Length && text[i] == '.')
        {
            var fractionStart = ++i;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
            }

            fractionDigits = text[fractionStart..i];
        }

        if (integerDigits.IsEmpty && fractionDigits.IsEmpty)
        {
            return false;
        }

        long exponent = 0;
        if (i < text.Length && text[i] is 'e' or 'E')
        {
            if (!int.TryParse(text[(i + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var e))
            {
                return false;
            }

            exponent = e;
            i = text.Length;
        }

        if (i != text.Length)
        {
            return false;
        }

        var digits = string.Concat(integerDigits, fractionDigits);
        var unscaled = BigInteger.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
        var scale = fractionDigits.Length - exponent;
        if (scale < 0)
        {
            if (-scale > MaxDigitsFromExponent)
            {
                return false;
            }

            unscaled *= DecimalDigits.Pow10((int)-scale);
            scale = 0;
        }
        else if (scale > int.MaxValue)
        {
            return false;
        }

        value = new AvroDecimal(negative ? -unscaled : unscaled, (int)scale);
        return true;
    }

    /// <summary>The exact value of <paramref name="value"/>, keeping its scale (1.50m has scale 2).</summary>
    public static AvroDecimal FromDecimal(decimal value)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        var magnitude = ((UInt128)(uint)bits[2] << 64) | ((ulong)(uint)bits[1] << 32) | (uint)bits[0];
        var unscaled = magnitude <= ulong.MaxValue ? new BigInteger((ulong)magnitude) : (BigInteger)magnitude;
        return new AvroDecimal(bits[3] < 0 ? -unscaled : unscaled, (bits[3] >> 16) & 0xff);
    }

    /// <summary>The same value as a <see cref="decimal"/>, dropping trailing zeros of the fraction if needed to fit.</summary>
    /// <exception cref="OverflowException">It does not fit exactly (more than 28 fraction digits or about 29 significant digits).</exception>
    public decimal ToDecimal() =>
        TryToDecimal(out var result) ? result : throw new OverflowException($"{Shorten(ToString())} does not fit exactly in System.Decimal");

    /// <summary>Converts to <see cref="decimal"/> when that is exact.</summary>
    public bool TryToDecimal(out decimal result)
    {
        result = 0m;
        var unscaled = BigInteger.Abs(Unscaled);
        var scale = Scale;
        while ((scale > 28 || unscaled >= DecimalMagnitudeLimit) && scale > 0)
        {
            var quotient = BigInteger.DivRem(unscaled, 10, out var remainder);
            if (!remainder.IsZero)
            {
                return false;
            }

            unscaled = quotient;
            scale--;
        }

        if (unscaled >= DecimalMagnitudeLimit)
        {
            return false;
        }

        var magnitude = (UInt128)unscaled;
        result = new decimal((int)(uint)magnitude, (int)(uint)(magnitude >> 32), (int)(uint)(magnitude >> 64), Unscaled.Sign < 0, (byte)scale);
        return true;
    }

    /// <summary>This value at another scale, when exact: more digits always are, fewer only when the dropped digits are zeros.</summary>
    public bool TryRescale(int scale, out AvroDecimal result)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(scale);
        if (scale >= Scale)
        {
            result = new AvroDecimal(scale == Scale ? Unscaled : Unscaled * DecimalDigits.Pow10(scale - Scale), scale);
            return true;
        }

        var quotient = BigInteger.DivRem(Unscaled, DecimalDigits.Pow10(Scale - scale), out var remainder);
        result = remainder.IsZero ? new AvroDecimal(quotient, scale) : default;
        return remainder.IsZero;
    }

    /// <summary>This value at another scale.</summary>
    /// <exception cref="ArithmeticException">Rescaling would round (non-zero digits would be dropped).</exception>
    public AvroDecimal Rescale(int scale) =>
        TryRescale(scale, out var result) ? result : throw new ArithmeticException($"{Shorten(ToString())} cannot be written with scale {scale} without rounding");

    /// <summary>The plain decimal text, exact, with <see cref="Scale"/> fraction digits and no exponent (e.g. <c>-0.050</c>).</summary>
    public override string ToString()
    {
        var digits = BigInteger.Abs(Unscaled).ToString(CultureInfo.InvariantCulture);
        var sign = Unscaled.Sign < 0 ? "-" : "";
        if (Scale == 0)
        {
            return sign + digits;
        }

        return digits.Length > Scale
            ? string.Concat(sign, digits.AsSpan(0, digits.Length - Scale), ".", digits.AsSpan(digits.Length - Scale))
            : string.Concat(sign, "0.", new string('0', Scale - digits.Length), digits);
    }

    /// <inheritdoc />
    public bool Equals(AvroDecimal other) => Scale == other.Scale && Unscaled.Equals(other.Unscaled);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is AvroDecimal other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Unscaled, Scale);

    /// <summary>Compares numerically, whatever the scales.</summary>
    public int CompareTo(AvroDecimal other)
    {
        if (Sign != other.Sign)
        {
            return Sign.CompareTo(other.Sign);
        }

        return Scale == other.Scale
            ? Unscaled.CompareTo(other.Unscaled)
            : Scale > other.Scale
                ? Unscaled.CompareTo(other.Unscaled * DecimalDigits.Pow10(Scale - other.Scale))
                : (Unscaled * DecimalDigits.Pow10(other.Scale - Scale)).CompareTo(other.Unscaled);
    }

    /// <inheritdoc />
    public int CompareTo(object? obj) => obj switch
    {
        null => 1,
        AvroDecimal other => CompareTo(other),
        _ => throw new ArgumentException("not an AvroDecimal", nameof(obj)),
    };

    /// <summary>Exact conversion from <see cref="decimal"/>; see <see cref="FromDecimal"/>.</summary>
    public static implicit operator AvroDecimal(decimal value) => FromDecimal(value);

    /// <summary>Exact conversion to <see cref="decimal"/>; see <see cref="ToDecimal"/>.</summary>
    public static explicit operator decimal(AvroDecimal value) => value.ToDecimal();

    /// <summary>Equal representation (unscaled value and scale).</summary>
    public static bool operator ==(AvroDecimal left, AvroDecimal right) => left.Equals(right);

    /// <summary>Different representation.</summary>
    public static bool operator !=(AvroDecimal left, AvroDecimal right) => !left.Equals(right);

    /// <summary>Numerically smaller.</summary>
    public static bool operator <(AvroDecimal left, AvroDecimal right) => left.CompareTo(right) < 0;

    /// <summary>Numerically larger.</summary>
    public static bool operator >(AvroDecimal left, AvroDecimal right) => left.CompareTo(right) > 0;

    /// <summary>Numerically smaller or equal.</summary>
    public static bool operator <=(AvroDecimal left, AvroDecimal right) => left.CompareTo(right) <= 0;

    /// <summary>Numerically larger or equal.</summary>
    public static bool operator >=(AvroDecimal left, AvroDecimal right) => left.CompareTo(right) >= 0;

    private static readonly BigInteger DecimalMagnitudeLimit = BigInteger.One << 96;

    private static string Shorten(string text) => text.Length <= 60 ? text : $"{text[..30]}...({text.Length} chars)";
}
