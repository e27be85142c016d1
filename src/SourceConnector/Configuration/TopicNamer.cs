using System.Text;
using System.Text.RegularExpressions;

namespace KafkaCdc.SourceConnector.Configuration;

/// <summary>
/// Topic names from <c>topic.name.format</c> (<c>{database}</c>, <c>{schema}</c>, <c>{table}</c>) and
/// <c>topic.heartbeat</c> (<c>{name}</c>): every character Kafka does not allow in a topic name (outside
/// <c>[a-zA-Z0-9._-]</c>) becomes <c>_</c>, one per Unicode character. The exact names travel in the records' <c>source</c>.
/// </summary>
internal sealed partial class TopicNamer(string format)
{
    /// <summary>The longest topic name Kafka accepts.</summary>
    public const int MaxTopicLength = 249;

    /// <summary>The format.</summary>
    public string Format { get; } = format;

    /// <summary>The change topic of a table.</summary>
    public string TopicFor(string database, TableName table) =>
        Sanitize(Format.Replace("{database}", database).Replace("{schema}", table.Schema).Replace("{table}", table.Name));

    /// <summary>Replaces every character outside <c>[a-zA-Z0-9._-]</c> with <c>_</c>.</summary>
    public static string Sanitize(string name)
    {
        var builder = new StringBuilder(name.Length);
        foreach (var rune in name.EnumerateRunes())
        {
            builder.Append(rune.IsAscii && (char.IsAsciiLetterOrDigit((char)rune.Value) || rune.Value is '.' or '_' or '-') ? (char)rune.Value : '_');
        }
        return builder.ToString();
    }

    /// <summary>The placeholders in <paramref name="format"/> that are not among <paramref name="allowed"/>.</summary>
    public static IReadOnlyList<string> UnknownPlaceholders(string format, params string[] allowed) =>
        Placeholder().Matches(format).Select(m => m.Value).Where(p => !allowed.Contains(p)).Distinct().ToList();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Placeholder();
}
