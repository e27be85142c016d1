using System.Text;

namespace KafkaCdc.Shared.Postgres;

/// <summary>The recursive-descent parser behind <see cref="PgArrayLiteral.Parse"/>, after <c>array_in</c>'s <c>ReadArrayStr</c>.</summary>
internal sealed class PgArrayLiteralParser(string text, char delimiter)
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
                if (!PgArrayLiteral.IsSpace(c))
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
        while (_position < text.Length && PgArrayLiteral.IsSpace(text[_position]))
        {
            _position++;
        }
    }

    private FormatException Error(string problem) =>
        new($"malformed array literal at position {_position}: {problem}");
}
