using System.Text;
using System.Text.RegularExpressions;

namespace KafkaCdc.SinkConnector.Configuration;

/// <summary>
/// <c>table.name.format</c>: the destination table name of a record, from <c>${topic}</c>, <c>${source.schema}</c> and
/// <c>${source.table}</c> (the envelope's <c>source</c> block). The result is used as it is, as one quoted identifier
/// in <c>schema.name</c>: no case folding, no sanitising.
/// </summary>
public sealed partial class TableNameFormat
{
    /// <summary>The placeholders a format may use.</summary>
    public static IReadOnlyList<string> Placeholders { get; } = ["${topic}", "${source.schema}", "${source.table}"];

    readonly string _format;

    TableNameFormat(string format)
    {
        _format = format;
        UsesSource = format.Contains("${source.", StringComparison.Ordinal);
    }

    /// <summary>The default, <c>${topic}</c>.</summary>
    public static TableNameFormat Default { get; } = new("${topic}");

    /// <summary>Whether the format needs the record's <c>source</c> block (tombstones and plain rows lack one).</summary>
    public bool UsesSource { get; }

    /// <summary>Parses a format; returns null and a problem when it uses an unknown placeholder or is empty.</summary>
    public static TableNameFormat? Parse(string format, out string? problem)
    {
        problem = null;
        if (string.IsNullOrWhiteSpace(format))
        {
            problem = "must not be empty";
            return null;
        }
        var unknown = Placeholder().Matches(format).Select(m => m.Value).Where(p => !Placeholders.Contains(p)).Distinct().ToList();
        if (unknown.Count > 0)
        {
            problem = $"unknown placeholder{(unknown.Count == 1 ? "" : "s")} {string.Join(", ", unknown)}; use {string.Join(", ", Placeholders)}";
            return null;
        }
        return new TableNameFormat(format);
    }

    /// <summary>The table name for a record of <paramref name="topic"/> whose source block names <paramref name="sourceSchema"/>.<paramref name="sourceTable"/>.</summary>
    /// <returns>The name, or null when the format needs a source block the record does not have.</returns>
    public string? Render(string topic, string? sourceSchema, string? sourceTable)
    {
        if (!UsesSource) return _format.Replace("${topic}", topic, StringComparison.Ordinal);
        if (sourceSchema is null || sourceTable is null) return null;
        return new StringBuilder(_format)
            .Replace("${topic}", topic)
            .Replace("${source.schema}", sourceSchema)
            .Replace("${source.table}", sourceTable)
            .ToString();
    }

    /// <inheritdoc />
    public override string ToString() => _format;

    [GeneratedRegex(@"\$\{[^}]*\}")]
    private static partial Regex Placeholder();
}
