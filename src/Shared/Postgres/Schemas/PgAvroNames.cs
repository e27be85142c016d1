using System.Text;

namespace KafkaCdc.Shared.Postgres;

/// <summary>
/// Avro names from PostgreSQL names, as the contract's "Avro names" section says: every character outside
/// <c>[A-Za-z0-9_]</c> becomes <c>_</c> (one per Unicode character, also outside the BMP), and <c>_</c> goes in
/// front of a leading digit.
/// </summary>
public static class PgAvroNames
{
    /// <summary>The Avro name for one PostgreSQL name: <c>Order Id</c> becomes <c>Order_Id</c>, <c>2024</c> becomes <c>_2024</c>.</summary>
    public static string Sanitize(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var text = new StringBuilder(name.Length + 1);
        foreach (var rune in name.EnumerateRunes())
        {
            text.Append(rune.IsAscii && (char.IsAsciiLetterOrDigit((char)rune.Value) || rune.Value == '_') ? (char)rune.Value : '_');
        }

        if (text.Length == 0 || char.IsAsciiDigit(text[0]))
        {
            text.Insert(0, '_');
        }

        return text.ToString();
    }

    /// <summary>The namespace of a table's <c>Key</c>, <c>Value</c> and <c>Envelope</c>: <c>kafkacdc.&lt;database&gt;.&lt;schema&gt;.&lt;table&gt;</c>, each part sanitised.</summary>
    public static string Namespace(string database, string schema, string table) =>
        $"kafkacdc.{Sanitize(database)}.{Sanitize(schema)}.{Sanitize(table)}";

    /// <summary>
    /// Field names for columns in attribute-number order: each sanitised; a name already taken by an earlier column
    /// gets the first free suffix of <c>_2</c>, <c>_3</c>...
    /// </summary>
    public static IReadOnlyList<string> FieldNames(IEnumerable<string> columnNames)
    {
        ArgumentNullException.ThrowIfNull(columnNames);
        var taken = new HashSet<string>(StringComparer.Ordinal);
        var names = new List<string>();
        foreach (var column in columnNames)
        {
            var name = Sanitize(column);
            for (var suffix = 2; !taken.Add(name); suffix++)
            {
                name = $"{Sanitize(column)}_{suffix}";
            }

            names.Add(name);
        }

        return names;
    }
}
