using System.Text;

namespace KafkaCdc.Shared.Postgres;

/// <summary>
/// Quoting of SQL identifiers (<see href="https://www.postgresql.org/docs/current/sql-syntax-lexical.html#SQL-SYNTAX-IDENTIFIERS">quoted
/// identifiers</see>) for SQL built from table, column and type names: always double quotes, inner quotes doubled,
/// so the name is taken exactly, case and all.
/// </summary>
public static class PgIdentifier
{
    /// <summary>The quoted identifier: <c>Order "Id"</c> becomes <c>"Order ""Id"""</c>.</summary>
    /// <exception cref="ArgumentException">The name is empty or holds a NUL character, which PostgreSQL does not allow.</exception>
    public static string Quote(string identifier)
    {
        Check(identifier);
        return new StringBuilder(identifier.Length + 2).Append('"').Append(identifier.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"').ToString();
    }

    /// <summary>A qualified name, each part quoted: <c>("public", "Orders")</c> becomes <c>"public"."Orders"</c>.</summary>
    /// <exception cref="ArgumentException">No parts, or a part is empty or holds a NUL character.</exception>
    public static string Quote(params ReadOnlySpan<string> parts)
    {
        if (parts.IsEmpty)
        {
            throw new ArgumentException("a qualified name needs at least one part", nameof(parts));
        }

        var text = new StringBuilder();
        foreach (var part in parts)
        {
            text.Append(text.Length == 0 ? "" : ".").Append(Quote(part));
        }

        return text.ToString();
    }

    private static void Check(string identifier)
    {
        ArgumentNullException.ThrowIfNull(identifier);
        if (identifier.Length == 0)
        {
            throw new ArgumentException("an SQL identifier cannot be empty", nameof(identifier));
        }

        if (identifier.Contains('\0'))
        {
            throw new ArgumentException("an SQL identifier cannot contain a NUL character", nameof(identifier));
        }
    }
}
