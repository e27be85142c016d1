using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Level = Microsoft.Extensions.Logging.LogLevel;

namespace KafkaCdc.Shared.Configuration;

/// <summary>
/// Reads typed values from a <see cref="RawConfig"/>, collecting every problem instead of stopping at the
/// first, so an options class can read all its keys and then call <see cref="ThrowIfProblems"/> once.
/// </summary>
/// <remarks>
/// For each key read, an environment variable <c>KCDC_&lt;KEY&gt;</c> (upper case, dots and dashes as
/// underscores) overrides the file. Values may contain <c>${env:NAME}</c> and <c>${file:PATH}</c>
/// references, resolved at read time, so secrets need not be written into the file. Keys in the file that
/// no one read are reported as unknown. Values of secret keys (<see cref="SecretKeys"/>) never appear in
/// messages.
/// </remarks>
public sealed partial class ConfigReader
{
    const string EnvironmentPrefix = "KCDC_";

    readonly RawConfig _raw;
    readonly IReadOnlyDictionary<string, string> _environment;
    readonly Func<string, string> _readFile;
    readonly List<string> _problems = [];
    readonly HashSet<string> _consumed = new(StringComparer.Ordinal);
    readonly HashSet<string> _consumedPrefixes = new(StringComparer.Ordinal);
    readonly SortedDictionary<string, string> _effective = new(StringComparer.Ordinal);

    /// <summary>Creates a reader over <paramref name="raw"/>.</summary>
    /// <param name="raw">The loaded configuration.</param>
    /// <param name="environment">Environment variables; the process environment when null.</param>
    /// <param name="readFile">File reader for <c>${file:}</c>; <see cref="File.ReadAllText(string)"/> when null.</param>
    public ConfigReader(RawConfig raw, IReadOnlyDictionary<string, string>? environment = null, Func<string, string>? readFile = null)
    {
        _raw = raw;
        _environment = environment ?? ProcessEnvironment();
        _readFile = readFile ?? File.ReadAllText;
        _problems.AddRange(raw.Problems);
    }

    /// <summary>The keys read so far and their values, secrets shown as <c>****</c>, for a start-up log line.</summary>
    public IReadOnlyDictionary<string, string> Effective => _effective;

    /// <summary>Records a problem found by an options class's own validation.</summary>
    public void Problem(string key, string message) => _problems.Add($"{key}: {message}");

    /// <summary>True once any problem was recorded.</summary>
    public bool HasProblems => _problems.Count > 0;

    /// <summary>
    /// Whether <paramref name="key"/> has a non-empty value (in the file or the environment), without listing it among
    /// the <see cref="Effective"/> settings; the key counts as read (not unknown).
    /// </summary>
    public bool IsSet(string key)
    {
        _consumed.Add(key);
        return (_environment.TryGetValue(EnvironmentName(key), out var value) || _raw.Values.TryGetValue(key, out value)) && !string.IsNullOrEmpty(value);
    }

    /// <summary>An optional string; <paramref name="defaultValue"/> when unset or empty.</summary>
    public string? String(string key, string? defaultValue = null)
    {
        var value = Resolve(key);
        return string.IsNullOrEmpty(value) ? Remember(key, defaultValue) : value;
    }

    /// <summary>A string that must be set and non-empty.</summary>
    public string RequiredString(string key)
    {
        var value = Resolve(key);
        if (string.IsNullOrWhiteSpace(value))
        {
            Problem(key, $"is required (set it in the config file or as {EnvironmentName(key)})");
            return "";
        }
        return value;
    }

    /// <summary>An integer within [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public int Int(string key, int defaultValue, int min = int.MinValue, int max = int.MaxValue) =>
        (int)Long(key, defaultValue, min, max);

    /// <summary>A 64-bit integer within [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public long Long(string key, long defaultValue, long min = long.MinValue, long max = long.MaxValue)
    {
        var text = Resolve(key);
        if (string.IsNullOrEmpty(text)) return Remember(key, defaultValue);
        if (!long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            Problem(key, $"{Shown(key, text)} is not an integer");
            return defaultValue;
        }
        if (value < min || value > max)
        {
            Problem(key, $"{value} is out of range; allowed: {RangeText(min, max)}");
            return defaultValue;
        }
        return value;
    }

    /// <summary>A boolean (<c>true</c>/<c>false</c>, case-insensitive).</summary>
    public bool Bool(string key, bool defaultValue)
    {
        var text = Resolve(key);
        if (string.IsNullOrEmpty(text)) return Remember(key, defaultValue);
        if (bool.TryParse(text, out var value)) return value;
        Problem(key, $"{Shown(key, text)} is not a boolean; use true or false");
        return defaultValue;
    }

    /// <summary>
    /// One of the members of <typeparamref name="T"/>, written in snake case (<c>AllTables</c> is
    /// <c>all_tables</c>), case-insensitive.
    /// </summary>
    public T Enum<T>(string key, T defaultValue) where T : struct, Enum
    {
        var text = Resolve(key);
        if (string.IsNullOrEmpty(text)) return Remember(key, defaultValue);
        foreach (var member in System.Enum.GetValues<T>())
        {
            if (string.Equals(SnakeCase(member.ToString()), text.Trim(), StringComparison.OrdinalIgnoreCase))
                return member;
        }
        Problem(key, $"{Shown(key, text)} is not one of: {string.Join(", ", System.Enum.GetValues<T>().Select(m => SnakeCase(m.ToString())))}");
        return defaultValue;
    }

    /// <summary>
    /// A log level, <c>info</c> when unset: <c>trace</c>, <c>debug</c>, <c>info</c> (or <c>information</c>),
    /// <c>warn</c> (or <c>warning</c>), <c>error</c>, <c>critical</c> or <c>none</c>, case-insensitive.
    /// </summary>
    public LogLevel LogLevel(string key)
    {
        var text = Resolve(key);
        if (string.IsNullOrEmpty(text)) return Remember(key, Level.Information);
        foreach (var (names, level) in s_logLevels)
        {
            if (names.Contains(text.Trim(), StringComparer.OrdinalIgnoreCase)) return Remember(key, level);
        }
        Problem(key, $"{Shown(key, text)} is not one of: trace, debug, info, warn, error, critical, none");
        return Level.Information;
    }

    static readonly (string[] Names, Level Level)[] s_logLevels =
    [
        (["trace"], Level.Trace), (["debug"], Level.Debug),
        (["info", "information"], Level.Information),
        (["warn", "warning"], Level.Warning), (["error"], Level.Error),
        (["critical"], Level.Critical), (["none"], Level.None),
    ];

    /// <summary>A comma-separated list, items trimmed, empty items dropped; empty when unset.</summary>
    public IReadOnlyList<string> List(string key)
    {
        var text = Resolve(key);
        if (string.IsNullOrEmpty(text)) return [];
        return text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>
    /// Every key starting with <paramref name="prefix"/> (from the file, and from environment variables
    /// <c>KCDC_&lt;PREFIX&gt;_...</c>), with the prefix removed and references resolved. Used to pass
    /// <c>kafka.*</c> keys through to the Kafka client.
    /// </summary>
    public IReadOnlyDictionary<string, string> WithPrefix(string prefix)
    {
        _consumedPrefixes.Add(prefix);
        var keys = new SortedSet<string>(_raw.Values.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)), StringComparer.Ordinal);
        var environmentPrefix = EnvironmentName(prefix.TrimEnd('.')) + "_";
        foreach (var name in _environment.Keys)
        {
            if (name.StartsWith(environmentPrefix, StringComparison.Ordinal) && name.Length > environmentPrefix.Length)
                keys.Add(prefix + name[environmentPrefix.Length..].ToLowerInvariant().Replace('_', '.'));
        }
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            var value = Resolve(key);
            if (value is not null) result[key[prefix.Length..]] = value;
        }
        return result;
    }

    /// <summary>
    /// Adds a problem for each key in the file that was never read (likely a typo), then throws a
    /// <see cref="ConfigException"/> listing every problem, if there are any.
    /// </summary>
    public void ThrowIfProblems()
    {
        foreach (var key in _raw.Values.Keys.OrderBy(k => k, StringComparer.Ordinal))
        {
            if (_consumed.Contains(key) || _consumedPrefixes.Any(p => key.StartsWith(p, StringComparison.Ordinal))) continue;
            var suggestion = _consumed.MinBy(k => EditDistance(k, key));
            var hint = suggestion is not null && EditDistance(suggestion, key) <= Math.Max(2, key.Length / 4)
                ? $"; did you mean '{suggestion}'?"
                : "";
            _problems.Add($"{key}: unknown key{hint}");
        }
        if (_problems.Count > 0) throw new ConfigException(_problems.ToArray());
    }

    /// <summary>The environment variable that overrides <paramref name="key"/>.</summary>
    public static string EnvironmentName(string key) =>
        EnvironmentPrefix + key.ToUpperInvariant().Replace('.', '_').Replace('-', '_');

    string? Resolve(string key)
    {
        _consumed.Add(key);
        if (!_environment.TryGetValue(EnvironmentName(key), out var value) && !_raw.Values.TryGetValue(key, out value)) return null;
        var resolved = ResolveReferences(key, value);
        _effective[key] = SecretKeys.Display(key, resolved);
        return resolved;
    }

    T Remember<T>(string key, T value)
    {
        _effective[key] = value is null ? "" : SecretKeys.Display(key, Convert.ToString(value, CultureInfo.InvariantCulture) ?? "");
        if (value is Enum e) _effective[key] = SnakeCase(e.ToString());
        if (value is bool b) _effective[key] = b ? "true" : "false";
        return value;
    }

    string ResolveReferences(string key, string value)
    {
        if (!value.Contains("${", StringComparison.Ordinal)) return value;
        return Reference().Replace(value, match =>
        {
            var kind = match.Groups[1].Value;
            var argument = match.Groups[2].Value;
            if (kind == "env")
            {
                if (_environment.TryGetValue(argument, out var found)) return found;
                Problem(key, $"references environment variable {argument}, which is not set");
                return "";
            }
            try
            {
                return _readFile(argument).TrimEnd('\r', '\n');
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Problem(key, $"references file '{argument}', which cannot be read: {e.Message}");
                return "";
            }
        });
    }

    static Dictionary<string, string> ProcessEnvironment()
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
            variables[(string)entry.Key] = (string?)entry.Value ?? "";
        return variables;
    }

    static string Shown(string key, string value) =>
        SecretKeys.IsSecret(key) ? "the value" : $"'{value}'";

    static string RangeText(long min, long max) =>
        (min, max) switch
        {
            (long.MinValue, _) => $"at most {max}",
            (_, long.MaxValue or int.MaxValue) => $"at least {min}",
            _ => $"{min} to {max}",
        };

    /// <summary>PascalCase to snake_case: <c>AllTables</c> becomes <c>all_tables</c>.</summary>
    public static string SnakeCase(string name)
    {
        var builder = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0) builder.Append('_');
            builder.Append(char.ToLowerInvariant(name[i]));
        }
        return builder.ToString();
    }

    static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }

    [GeneratedRegex(@"\$\{(env|file):([^}]+)\}")]
    private static partial Regex Reference();
}
