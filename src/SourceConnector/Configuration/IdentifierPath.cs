using System.Text;

namespace KafkaCdc.SourceConnector.Configuration;

/// <summary>Splits dotted SQL names such as <c>public.orders</c> or <c>"My.Schema"."Order Items"</c> into their parts.</summary>
internal static class IdentifierPath
{
    /// <summary>
    /// The parts of <paramref name="text"/>: unquoted parts trimmed and folded to lower case (as PostgreSQL folds
    /// unquoted identifiers), quoted parts exact with <c>""</c> unescaped. Null with <paramref name="problem"/> set
    /// when a part is empty or a quote is not closed.
    /// </summary>
    public static IReadOnlyList<string>? Split(string text, out string? problem)
    {
        problem = null;
        var parts = new List<string>();
        var i = 0;
        text = text.Trim();
        while (true)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i])) i++;
            var part = new StringBuilder();
            if (i < text.Length && text[i] == '"')
            {
                i++;
                var closed = false;
                while (i < text.Length)
                {
                    if (text[i] == '"')
                    {
                        if (i + 1 < text.Length && text[i + 1] == '"')
                        {
                            part.Append('"');
                            i += 2;
                            continue;
                        }
                        closed = true;
                        i++;
                        break;
                    }
                    part.Append(text[i++]);
                }
                if (!closed)
                {
                    problem = $"'{text}' has a double quote that is not closed";
                    return null;
                }
                while (i < text.Length && char.IsWhiteSpace(text[i])) i++;
            }
            else
            {
                while (i < text.Length && text[i] != '.') part.Append(text[i++]);
                var plain = part.ToString().Trim();
                if (plain.Contains('"'))
                {
                    problem = $"'{text}' has a double quote inside a name; quote the whole part: \"...\"";
                    return null;
                }
                part.Clear().Append(plain.ToLowerInvariant());
            }
            if (part.Length == 0)
            {
                problem = $"'{text}' has an empty name part";
                return null;
            }
            parts.Add(part.ToString());
            if (i >= text.Length) return parts;
            if (text[i] != '.')
            {
                problem = $"'{text}' has characters after a quoted name; separate parts with '.'";
                return null;
            }
            i++;
        }
    }
}
