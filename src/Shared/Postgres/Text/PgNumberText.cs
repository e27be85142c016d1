using System.Globalization;
using System.Numerics;
using Avro;

namespace KafkaCdc.Shared.Postgres;

/// <summary>
/// PostgreSQL's text forms of numbers: <c>real</c>/<c>double precision</c> (shortest exact digits with
/// <c>extra_float_digits=3</c>, <c>NaN</c>, <c>Infinity</c>, <c>-Infinity</c>), <c>numeric</c> (plain decimal text
/// keeping its display scale, or <c>NaN</c>/<c>Infinity</c>/<c>-Infinity</c>) and <c>money</c> (with
/// <c>lc_monetary=C</c>: <c>$1,234.56</c>, <c>-$1,234.56</c>).
/// </summary>
internal static class PgNumberText
{
    /// <summary>The scale of <c>money</c> under <c>lc_monetary=C</c>.</summary>
    public const int MoneyScale = 2;

    /// <summary>Whether <paramref name="text"/> is one of numeric's special values, which have no decimal form.</summary>
    public static bool IsNumericSpecial(string text) => text is "NaN" or "Infinity" or "-Infinity";

    /// <summary>Parses a <c>real</c>.</summary>
    /// <exception cref="FormatException">Not a number.</exception>
    public static float ParseFloat4(string text) => float.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>Parses a <c>double precision</c> (also used for numeric with <c>decimal.handling.mode=double</c>).</summary>
    /// <exception cref="FormatException">Not a number.</exception>
    public static double ParseFloat8(string text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>Writes a float in a form PostgreSQL reads back to the same value.</summary>
    public static string FormatFloat4(float value) =>
        float.IsNaN(value) ? "NaN"
        : float.IsPositiveInfinity(value) ? "Infinity"
        : float.IsNegativeInfinity(value) ? "-Infinity"
        : LowerExponent(value.ToString("R", CultureInfo.InvariantCulture));

    /// <summary>Writes a double in a form PostgreSQL reads back to the same value.</summary>
    public static string FormatFloat8(double value) =>
        double.IsNaN(value) ? "NaN"
        : double.IsPositiveInfinity(value) ? "Infinity"
        : double.IsNegativeInfinity(value) ? "-Infinity"
        : LowerExponent(value.ToString("R", CultureInfo.InvariantCulture));

    /// <summary>Parses numeric text, keeping the scale written (<c>12.30</c> is 1230 at scale 2).</summary>
    /// <exception cref="FormatException">Not plain decimal text.</exception>
    public static AvroDecimal ParseDecimal(string text) => PgDecimalText.Parse(text);

    /// <summary>Parses <c>money</c> output: an optional sign or parentheses, <c>$</c>, thousands separators, 2 decimals.</summary>
    /// <exception cref="FormatException">Not money text.</exception>
    public static AvroDecimal ParseMoney(string text)
    {
        var negative = false;
        var digits = new System.Text.StringBuilder(text.Length);
        foreach (var c in text)
        {
            switch (c)
            {
                case '-' or '(' or ')':
                    negative |= c != ')';
                    break;
                case '$' or ',' or ' ':
                    break;
                default:
                    digits.Append(c);
                    break;
            }
        }

        if (!PgDecimalText.TryParse(digits.ToString(), out var value) || !PgDecimalText.TryRescale(value, MoneyScale, out value))
        {
            throw new FormatException($"'{Shorten(text)}' is not a money amount");
        }

        return negative ? new AvroDecimal(-value.UnscaledValue, value.Scale) : value;
    }

    /// <summary>The unscaled value's big-endian two's complement bytes, as <c>VariableScaleDecimal.value</c> holds it.</summary>
    public static byte[] UnscaledBytes(BigInteger unscaled) => unscaled.ToByteArray(isUnsigned: false, isBigEndian: true);

    /// <summary>The inverse of <see cref="UnscaledBytes"/>; no bytes is zero.</summary>
    public static BigInteger UnscaledFromBytes(byte[] bytes) => new(bytes, isUnsigned: false, isBigEndian: true);

    /// <summary>PostgreSQL writes <c>1e+30</c> where .NET writes <c>1E+30</c>; both read back the same, but the same text is easier to compare.</summary>
    private static string LowerExponent(string text) => text.Replace('E', 'e');

    /// <summary>The text cut to a length fit for an error message.</summary>
    public static string Shorten(string text) => text.Length <= 60 ? text : $"{text[..30]}...({text.Length} chars)";
}
