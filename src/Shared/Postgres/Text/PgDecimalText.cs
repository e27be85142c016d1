using System.Globalization;
using System.Numerics;
using Avro;

namespace KafkaCdc.Shared.Postgres;

/// <summary>
/// PostgreSQL's plain decimal text (<c>numeric</c> output: <c>-123.4500</c>, no exponent) to and from Apache.Avro's
/// <see cref="AvroDecimal"/> (unscaled integer and scale), exactly: the scale written is kept, and rescaling refuses to
/// round.
/// </summary>
internal static class PgDecimalText
{
    static readonly BigInteger[] s_powersOf10 = BuildPowers(64);

    /// <summary>Parses <c>[+-]digits[.digits]</c>, keeping the scale written (<c>12.30</c> is 1230 at scale 2).</summary>
    /// <exception cref="FormatException">Not plain decimal text (NaN, infinities and exponents are not).</exception>
    public static AvroDecimal Parse(string text) =>
        TryParse(text, out var value) ? value : throw new FormatException($"'{PgNumberText.Shorten(text)}' is not a decimal number");

    /// <summary>Parses like <see cref="Parse"/>, returning false instead of throwing.</summary>
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
        while (i < text.Length && char.IsAsciiDigit(text[i])) i++;
        var integerDigits = text[integerStart..i];
        var fractionDigits = ReadOnlySpan<char>.Empty;
        if (i < text.Length && text[i] == '.')
        {
            var fractionStart = ++i;
            while (i < text.Length && char.IsAsciiDigit(text[i])) i++;
            fractionDigits = text[fractionStart..i];
        }

        if ((integerDigits.IsEmpty && fractionDigits.IsEmpty) || i != text.Length) return false;
        var unscaled = BigInteger.Parse(string.Concat(integerDigits, fractionDigits), NumberStyles.None, CultureInfo.InvariantCulture);
        value = new AvroDecimal(negative ? -unscaled : unscaled, fractionDigits.Length);
        return true;
    }

    /// <summary>The same value at another scale, when exact: more digits always are, fewer only when the dropped digits are zeros.</summary>
    public static bool TryRescale(AvroDecimal value, int scale, out AvroDecimal result)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(scale);
        if (scale >= value.Scale)
        {
            result = new AvroDecimal(scale == value.Scale ? value.UnscaledValue : value.UnscaledValue * Pow10(scale - value.Scale), scale);
            return true;
        }

        var quotient = BigInteger.DivRem(value.UnscaledValue, Pow10(value.Scale - scale), out var remainder);
        result = remainder.IsZero ? new AvroDecimal(quotient, scale) : default;
        return remainder.IsZero;
    }

    /// <summary>The same value at another scale.</summary>
    /// <exception cref="ArithmeticException">Rescaling would round (non-zero digits would be dropped).</exception>
    public static AvroDecimal Rescale(AvroDecimal value, int scale) =>
        TryRescale(value, scale, out var result)
            ? result
            : throw new ArithmeticException($"{PgNumberText.Shorten(Format(value))} cannot be written with scale {scale} without rounding");

    /// <summary>The plain decimal text with exactly <c>Scale</c> fraction digits, no exponent (e.g. <c>-0.050</c>).</summary>
    public static string Format(AvroDecimal value) => Format(value.UnscaledValue, value.Scale);

    /// <summary>The plain decimal text of <paramref name="unscaled"/> × 10^-<paramref name="scale"/>; a negative scale appends zeros.</summary>
    public static string Format(BigInteger unscaled, int scale)
    {
        var digits = BigInteger.Abs(unscaled).ToString(CultureInfo.InvariantCulture);
        var sign = unscaled.Sign < 0 ? "-" : "";
        if (scale <= 0) return unscaled.IsZero ? "0" : string.Concat(sign, digits, new string('0', -scale));
        return digits.Length > scale
            ? string.Concat(sign, digits.AsSpan(0, digits.Length - scale), ".", digits.AsSpan(digits.Length - scale))
            : string.Concat(sign, "0.", new string('0', scale - digits.Length), digits);
    }

    static BigInteger Pow10(int exponent) => exponent < s_powersOf10.Length ? s_powersOf10[exponent] : BigInteger.Pow(10, exponent);

    static BigInteger[] BuildPowers(int count)
    {
        var powers = new BigInteger[count];
        powers[0] = BigInteger.One;
        for (var i = 1; i < count; i++) powers[i] = powers[i - 1] * 10;
        return powers;
    }
}
