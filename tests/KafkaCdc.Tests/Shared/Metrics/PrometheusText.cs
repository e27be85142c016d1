using System.Globalization;
using System.Text.RegularExpressions;

namespace KafkaCdc.Tests.Shared.Metrics;

/// <summary>Reads samples out of a Prometheus text exposition (<c>GET /metrics</c>), whatever other labels they carry.</summary>
internal static partial class PrometheusText
{
    /// <summary>The value of the sample of <paramref name="metric"/> that has (at least) <paramref name="labels"/>, or null.</summary>
    public static double? Value(string exposition, string metric, params (string Name, string Value)[] labels)
    {
        foreach (var line in exposition.Split('\n'))
        {
            var match = SampleLine().Match(line);
            if (!match.Success || match.Groups["name"].Value != metric) continue;
            var found = LabelPair().Matches(match.Groups["labels"].Value).ToDictionary(m => m.Groups[1].Value, m => Unescape(m.Groups[2].Value));
            if (labels.All(l => found.TryGetValue(l.Name, out var v) && v == l.Value))
                return double.Parse(match.Groups["value"].Value, NumberStyles.Float, CultureInfo.InvariantCulture);
        }
        return null;
    }

    /// <summary>The <c># TYPE</c> of <paramref name="metric"/>, or null when it is not exposed.</summary>
    public static string? Type(string exposition, string metric) =>
        exposition.Split('\n').Select(l => l.Split(' ')).FirstOrDefault(p => p is ["#", "TYPE", var n, _] && n == metric)?[3];

    static string Unescape(string value) => value.Replace("\\\"", "\"").Replace("\\n", "\n").Replace("\\\\", "\\");

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})? (?<value>\S+)( \d+)?$")]
    private static partial Regex SampleLine();

    [GeneratedRegex(@"([a-zA-Z_][a-zA-Z0-9_]*)=""((?:[^""\\]|\\.)*)""")]
    private static partial Regex LabelPair();
}
