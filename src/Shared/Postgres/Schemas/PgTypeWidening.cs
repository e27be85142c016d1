using System.Globalization;
using System.Text.RegularExpressions;

namespace KafkaCdc.Shared.Postgres;

/// <summary>
/// Which column type changes keep every value a column can hold, so that a sink may apply them at the destination
/// (<c>ALTER COLUMN … TYPE</c>) when the source widened a column: <c>smallint</c> → <c>integer</c> → <c>bigint</c>,
/// <c>real</c> → <c>double precision</c>, <c>character varying(n)</c> → a longer one, unbounded, or <c>text</c>,
/// <c>numeric(p,s)</c> → <c>numeric(p′,s)</c> with p′ &gt; p or unconstrained <c>numeric</c>; the same for arrays of
/// them. Types as <c>format_type</c> writes them (the form of <c>kafkacdc.type</c>). Anything else may lose or change
/// values (a narrower type, another scale, another family), and stays a refusal.
/// </summary>
public static partial class PgTypeWidening
{
    static readonly string[] s_integers = ["smallint", "integer", "bigint"];

    /// <summary>Whether a column of type <paramref name="from"/> can become <paramref name="to"/> without losing or changing any value.</summary>
    public static bool IsSafe(string from, string to)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        var (fromElement, fromArray) = Element(from);
        var (toElement, toArray) = Element(to);
        if (fromArray != toArray || fromElement == toElement) return false;

        if (Array.IndexOf(s_integers, fromElement) is >= 0 and var narrow && Array.IndexOf(s_integers, toElement) is >= 0 and var wide)
            return wide > narrow;
        if (fromElement == "real") return toElement == "double precision";
        if (Varchar(fromElement) is { } fromLength)
            return toElement is "text" or "character varying" || (Varchar(toElement) is { } toLength && toLength > fromLength);
        if (fromElement == "character varying") return toElement == "text";
        if (Numeric(fromElement) is { } fromNumeric)
            return toElement == "numeric" || (Numeric(toElement) is { } toNumeric && toNumeric.Scale == fromNumeric.Scale && toNumeric.Precision > fromNumeric.Precision);
        return false;
    }

    static (string Element, string Array) Element(string type)
    {
        var brackets = type.IndexOf('[', StringComparison.Ordinal);
        return brackets < 0 ? (type, "") : (type[..brackets], type[brackets..]);
    }

    static int? Varchar(string type) =>
        VarcharPattern().Match(type) is { Success: true } match ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : null;

    static (int Precision, int Scale)? Numeric(string type) =>
        NumericPattern().Match(type) is { Success: true } match
            ? (int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), match.Groups[2].Success ? int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture) : 0)
            : null;

    [GeneratedRegex(@"^character varying\(([0-9]+)\)$")]
    private static partial Regex VarcharPattern();

    [GeneratedRegex(@"^numeric\(([0-9]+)(?:,(-?[0-9]+))?\)$")]
    private static partial Regex NumericPattern();
}
