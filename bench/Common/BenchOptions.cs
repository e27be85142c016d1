using System.Globalization;

namespace KafkaCdc.Bench.Common;

/// <summary>
/// A benchmark's command line: <c>--option value</c> pairs, each option known, some repeatable; every accessor throws
/// an <see cref="ArgumentException"/> naming the option at fault (the usage text with it when the option is unknown).
/// </summary>
public sealed class BenchOptions
{
    readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    readonly Dictionary<string, List<string>> _repeated = new(StringComparer.Ordinal);

    BenchOptions()
    {
    }

    /// <summary>Reads <paramref name="args"/>; <paramref name="repeatable"/> options may be given more than once.</summary>
    public static BenchOptions Parse(string[] args, IReadOnlyCollection<string> known, IReadOnlyCollection<string> repeatable, string usage)
    {
        var options = new BenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
                throw new ArgumentException($"'{args[i]}' is not an option with a value\n{usage}");
            if (repeatable.Contains(args[i]))
            {
                if (!options._repeated.TryGetValue(args[i], out var list)) options._repeated[args[i]] = list = [];
                list.Add(args[++i]);
            }
            else if (known.Contains(args[i])) options._values[args[i]] = args[++i];
            else throw new ArgumentException($"unknown option {args[i]}\n{usage}");
        }
        return options;
    }

    /// <summary>The option's value, or null when it is not given.</summary>
    public string? Text(string option) => _values.GetValueOrDefault(option);

    /// <summary>A whole number of at least <paramref name="min"/> (underscores allowed as separators).</summary>
    public long Number(string option, long defaultValue, long min)
    {
        if (!_values.TryGetValue(option, out var text)) return defaultValue;
        if (!long.TryParse(text.Replace("_", "", StringComparison.Ordinal), NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < min)
            throw new ArgumentException($"{option} '{text}' is not a whole number of at least {min}");
        return value;
    }

    /// <summary>A comma-separated list of whole numbers from <paramref name="min"/> to <paramref name="max"/>.</summary>
    public int[] Numbers(string option, string defaultValue, int min, int max) =>
        List(option, defaultValue)
            .Select(t => int.TryParse(t, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max ? n : throw new ArgumentException($"{option} '{t}' is not {min} to {max}"))
            .ToArray();

    /// <summary>A comma-separated list of names, each one of <paramref name="allowed"/>; empty when not given.</summary>
    public string[] Names(string option, IReadOnlyCollection<string> allowed)
    {
        var names = List(option, "");
        if (names.FirstOrDefault(n => !allowed.Contains(n)) is { } bad)
            throw new ArgumentException($"{option}: unknown name '{bad}'; the names are {string.Join(", ", allowed)}");
        return names;
    }

    /// <summary>One of <paramref name="allowed"/>, or <paramref name="defaultValue"/> when not given.</summary>
    public string? Choice(string option, string? defaultValue, params string[] allowed)
    {
        var value = Text(option) ?? defaultValue;
        if (value is not null && !allowed.Contains(value)) throw new ArgumentException($"{option} '{value}' is not one of {string.Join(", ", allowed)}");
        return value;
    }

    /// <summary>The <c>KEY=VALUE</c> pairs of a repeatable option.</summary>
    public Dictionary<string, string> Pairs(string option)
    {
        var pairs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var text in _repeated.GetValueOrDefault(option) ?? [])
        {
            var pair = text.Split('=', 2);
            if (pair.Length != 2 || pair[0].Length == 0) throw new ArgumentException($"{option} '{text}' is not KEY=VALUE");
            pairs[pair[0]] = pair[1];
        }
        return pairs;
    }

    string[] List(string option, string defaultValue) =>
        (Text(option) ?? defaultValue).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
