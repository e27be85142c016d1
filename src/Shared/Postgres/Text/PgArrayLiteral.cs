using System.Collections;
using System.Text;

namespace KafkaCdc.Shared.Postgres;

/// <summary>
/// PostgreSQL's array literal (<see href="https://www.postgresql.org/docs/current/arrays.html#ARRAYS-IO">Array Input
/// and Output Syntax</see>): <c>{1,2,NULL}</c>, <c>{{"a b","x\"y"},{c,d}}</c>, <c>[2:3]={1,2}</c>, box arrays with
/// the <c>;</c> delimiter. Parses what <c>array_out</c> writes (and what <c>array_in</c> reads) and writes exactly
/// what <c>array_out</c> would, so texts round-trip.
/// </summary>
public static class PgArrayLiteral
{
    /// <summary>Parses an array literal into nested lists of element texts.</summary>
    /// <param name="text">The literal.</param>
    /// <param name="delimiter">The element type's <c>typdelim</c>: <c>,</c> for all built-in types but <c>box</c> (<c>;</c>).</param>
    /// <exception cref="FormatException">The text is not a well-formed array literal (also: sub-arrays of different lengths).</exception>
    public static PgArrayLiteralValue Parse(string text, char delimiter = ',')
    {
        ArgumentNullException.ThrowIfNull(text);
        return new PgArrayLiteralParser(text, delimiter).ParseLiteral();
    }

    /// <summary>
    /// Writes nested lists as an array literal, as <c>array_out</c> does: <c>null</c> items as <c>NULL</c>, lists as
    /// sub-arrays, other items through <paramref name="element"/> and quoted when needed.
    /// </summary>
    /// <param name="items">The top-level items; empty gives <c>{}</c>.</param>
    /// <param name="delimiter">The element type's delimiter.</param>
    /// <param name="element">The text of one non-null element.</param>
    public static string Format(IList items, char delimiter, Func<object, string> element)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(element);
        var text = new StringBuilder();
        AppendLevel(text, items, delimiter, element);
        return text.ToString();
    }

    /// <summary>Appends one element's text, in double quotes with <c>"</c> and <c>\</c> escaped when <c>array_out</c> would quote it.</summary>
    public static void AppendElement(StringBuilder text, string element, char delimiter)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(element);
        if (!NeedsQuotes(element, delimiter))
        {
            text.Append(element);
            return;
        }

        text.Append('"');
        foreach (var c in element)
        {
            if (c is '"' or '\\')
            {
                text.Append('\\');
            }

            text.Append(c);
        }

        text.Append('"');
    }

    /// <summary>Whether <c>array_out</c> quotes this element: empty, <c>NULL</c> in any case, or holding braces, quotes, backslashes, the delimiter or white space.</summary>
    public static bool NeedsQuotes(string element, char delimiter)
    {
        if (element.Length == 0 || element.Equals("NULL", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        foreach (var c in element)
        {
            if (c is '"' or '\\' or '{' or '}' || c == delimiter || IsSpace(c))
            {
                return true;
            }
        }

        return false;
    }

    private static void AppendLevel(StringBuilder text, IList items, char delimiter, Func<object, string> element)
    {
        text.Append('{');
        for (var i = 0; i < items.Count; i++)
        {
            if (i > 0)
            {
                text.Append(delimiter);
            }

            switch (items[i])
            {
                case null:
                    text.Append("NULL");
                    break;
                case IList nested and not byte[]:
                    AppendLevel(text, nested, delimiter, element);
                    break;
                case var item:
                    AppendElement(text, element(item), delimiter);
                    break;
            }
        }

        text.Append('}');
    }

    /// <summary>PostgreSQL's <c>scanner_isspace</c>.</summary>
    internal static bool IsSpace(char c) => c is ' ' or '\t' or '\n' or '\r' or '\v' or '\f';
}
