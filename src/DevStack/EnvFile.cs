using System.Text;
using System.Text.RegularExpressions;

namespace KafkaCdc.DevStack;

/// <summary>
/// The dev stack's env file: one <c>KEY=VALUE</c> per line. A value holding characters a POSIX shell would
/// interpret (like the <c>;</c> and spaces of a connection string) is single-quoted, so the file can be
/// sourced by sh/bash (<c>set -a; . ./devstack.env</c>) as well as read by <see cref="Parse"/> or dotenv tools.
/// </summary>
public static partial class EnvFile
{
    /// <summary>Formats one line.</summary>
    public static string FormatLine(string key, string value) =>
        PlainValue().IsMatch(value) ? $"{key}={value}" : $"{key}='{value.Replace("'", "'\\''")}'";

    /// <summary>
    /// Writes the file atomically: to a temporary file in the same directory, then renamed over
    /// <paramref name="path"/>, so a reader polling for it never sees a partial file.
    /// </summary>
    public static async Task WriteAsync(string path, IEnumerable<KeyValuePair<string, string>> variables, CancellationToken cancellationToken)
    {
        var fullPath = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(fullPath)!;
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, $".{Path.GetFileName(fullPath)}.{Environment.ProcessId}.tmp");
        var text = new StringBuilder();
        foreach (var (key, value) in variables) text.Append(FormatLine(key, value)).Append('\n');
        await File.WriteAllTextAsync(temporary, text.ToString(), cancellationToken);
        File.Move(temporary, fullPath, overwrite: true);
    }

    /// <summary>Reads the lines written by <see cref="WriteAsync"/> (blank lines and <c>#</c> comments skipped).</summary>
    public static IReadOnlyDictionary<string, string> Parse(string text)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var rawLine in text.Split('\n'))
        {
            var line = rawLine.TrimEnd('\r');
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var equals = line.IndexOf('=');
            if (equals <= 0) throw new FormatException($"not a KEY=VALUE line: {line}");
            var value = line[(equals + 1)..];
            if (value.Length >= 2 && value[0] == '\'' && value[^1] == '\'')
                value = value[1..^1].Replace("'\\''", "'");
            variables[line[..equals]] = value;
        }
        return variables;
    }

    [GeneratedRegex(@"^[A-Za-z0-9_.,:/@%+=\-]*$")]
    private static partial Regex PlainValue();
}
