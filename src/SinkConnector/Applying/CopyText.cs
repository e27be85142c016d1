using System.Text;

namespace KafkaCdc.SinkConnector.Applying;

/// <summary>
/// PostgreSQL's COPY text format (<see href="https://www.postgresql.org/docs/current/sql-copy.html">COPY, "Text Format"</see>):
/// columns separated by tabs, rows by newlines, <c>\N</c> for NULL, and backslash, tab, newline and carriage return
/// escaped. Each value is then read by its column's input function, exactly like a <c>::type</c> cast of the text.
/// </summary>
public static class CopyText
{
    /// <summary>Appends <paramref name="value"/> (null: <c>\N</c>) escaped to <paramref name="output"/>.</summary>
    public static void AppendValue(StringBuilder output, string? value)
    {
        if (value is null)
        {
            output.Append("\\N");
            return;
        }
        var start = 0;
        for (var i = 0; i < value.Length; i++)
        {
            var escape = value[i] switch
            {
                '\\' => "\\\\",
                '\t' => "\\t",
                '\n' => "\\n",
                '\r' => "\\r",
                _ => null,
            };
            if (escape is null) continue;
            output.Append(value, start, i - start).Append(escape);
            start = i + 1;
        }
        output.Append(value, start, value.Length - start);
    }
}
