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
        var parser = new Parser(text, delimiter);
        return parser.ParseLiteral();
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
    private static bool IsSpace(char c) => c is ' ' or '\t' or '\n' or '\r' or '\v' or '\f';

    private sealed class Parser(string text, char delimiter)
    {
        private int _position;

        public PgArrayLiteralValue ParseLiteral()
        {
            SkipSpace();
            var explicitBounds = false;
            if (Peek() == '[')
            {
                ReadBounds();
                explicitBounds = true;
            }

            if (Peek() != '{')
            {
                throw Error("expected '{'");
            }

            var items = ReadLevel(out var dimensions);
            SkipSpace();
            if (_position != text.Length)
            {
                throw Error("unexpected text after the closing '}'");
            }

            return new PgArrayLiteralValue(items, dimensions, explicitBounds);
        }

        private void ReadBounds()
        {
            while (Peek() == '[')
            {
                _position++;
                ReadInteger();
                if (Peek() == ':')
                {
                    _position++;
                    ReadInteger();
                }

                if (Peek() != ']')
                {
                    throw Error("expected ']' in the dimensions");
                }

                _position++;
            }

            SkipSpace();
            if (Peek() != '=')
            {
                throw Error("expected '=' after the dimensions");
            }

            _position++;
            SkipSpace();
        }

        private void ReadInteger()
        {
            SkipSpace();
            if (Peek() is '+' or '-')
            {
                _position++;
            }

            var start = _position;
            while (char.IsAsciiDigit(Peek()))
            {
                _position++;
            }

            if (_position == start)
            {
                throw Error("expected a number in the dimensions");
            }

            SkipSpace();
        }

        /// <summary>Reads <c>{...}</c> at the current position; <paramref name="dimensions"/> is 0 for <c>{}</c>.</summary>
        private List<object?> ReadLevel(out int dimensions)
        {
            _position++;
            SkipSpace();
            var items = new List<object?>();
            dimensions = 0;
            if (Peek() == '}')
            {
                _position++;
                return items;
            }

            int? subDimensions = null;
            int? subLength = null;
            while (true)
            {
                SkipSpace();
                if (Peek() == '{')
                {
                    var nested = ReadLevel(out var nestedDimensions);
                    if (nestedDimensions == 0 || subDimensions == 0 || (subDimensions is { } d && d != nestedDimensions) || (subLength is { } l && l != nested.Count))
                    {
                        throw Error("sub-arrays must have matching dimensions");
                    }

                    subDimensions = nestedDimensions;
                    subLength = nested.Count;
                    items.Add(nested);
                }
                else
                {
                    if (subDimensions > 0)
                    {
                        throw Error("an element where a sub-array was expected");
                    }

                    subDimensions = 0;
                    items.Add(ReadElement());
                }

                SkipSpace();
                var next = Peek();
                _position++;
                if (next == '}')
                {
                    break;
                }

                if (next != delimiter)
                {
                    _position--;
                    throw Error($"expected '{delimiter}' or '}}'");
                }
            }

            dimensions = subDimensions!.Value + 1;
            return items;
        }

        private string? ReadElement()
        {
            var value = new StringBuilder();
            if (Peek() == '"')
            {
                _position++;
                while (true)
                {
                    var c = Next("an unterminated quoted element");
                    if (c == '"')
                    {
                        return value.ToString();
                    }

                    value.Append(c == '\\' ? Next("an unterminated quoted element") : c);
                }
            }

            // Unquoted: up to the delimiter or '}', backslash escapes allowed, trailing unescaped white space dropped.
            var escaped = false;
            var keep = 0;
            while (true)
            {
                var c = Peek();
                if (c == '\0' && _position >= text.Length)
                {
                    throw Error("unexpected end of the literal");
                }

                if (c == delimiter || c is '}' or '{' or '"')
                {
                    if (c is '{' or '"')
                    {
                        throw Error($"unexpected '{c}' in an unquoted element");
                    }

                    break;
                }

                _position++;
                if (c == '\\')
                {
                    value.Append(Next("an unfinished escape"));
                    escaped = true;
                    keep = value.Length;
                }
                else
                {
                    value.Append(c);
                    if (!IsSpace(c))
                    {
                        keep = value.Length;
                    }
                }
            }

            value.Length = keep;
            if (value.Length == 0)
            {
                throw Error("an empty unquoted element");
            }

            var element = value.ToString();
            return !escaped && element.Equals("NULL", StringComparison.OrdinalIgnoreCase) ? null : element;
        }

        private char Peek() => _position < text.Length ? text[_position] : '\0';

        private char Next(string what) =>
            _position < text.Length ? text[_position++] : throw Error($"unexpected end of the literal in {what}");

        private void SkipSpace()
        {
            while (_position < text.Length && IsSpace(text[_position]))
            {
                _position++;
            }
        }

        private FormatException Error(string problem) =>
            new($"malformed array literal at position {_position}: {problem}");
    }
}
