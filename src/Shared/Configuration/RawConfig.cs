using System.Text.Json;

namespace KafkaCdc.Shared.Configuration;

/// <summary>
/// The configuration as the user wrote it: one flat JSON object of Kafka Connect–style dotted keys, with
/// environment overrides and <c>${env:NAME}</c> / <c>${file:PATH}</c> references still unresolved.
/// <see cref="ConfigReader"/> applies overrides and references as it reads each key.
/// </summary>
public sealed class RawConfig
{
    RawConfig(IReadOnlyDictionary<string, string> values, IReadOnlyList<string> problems, string origin)
    {
        Values = values;
        Problems = problems;
        Origin = origin;
    }

    /// <summary>Keys and their values as written (numbers and booleans as their JSON text).</summary>
    public IReadOnlyDictionary<string, string> Values { get; }

    /// <summary>Problems found while loading (nested objects, arrays...), each naming its key.</summary>
    public IReadOnlyList<string> Problems { get; }

    /// <summary>Where the values came from, for messages (a file path or "inline").</summary>
    public string Origin { get; }

    /// <summary>Builds a configuration from key/value pairs (tests, or configuration assembled in code).</summary>
    public static RawConfig FromPairs(IEnumerable<KeyValuePair<string, string>> pairs) =>
        new(pairs.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal), [], "inline");

    /// <summary>Reads a flat JSON object from a file.</summary>
    /// <exception cref="ConfigException">The file cannot be read or is not a JSON object.</exception>
    public static RawConfig Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException([$"config file '{path}': cannot be read: {e.Message}"]);
        }
        return Parse(text, path);
    }

    /// <summary>Parses a flat JSON object.</summary>
    /// <exception cref="ConfigException">The text is not a JSON object.</exception>
    public static RawConfig Parse(string json, string origin = "inline")
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new ConfigException([$"config file '{origin}': not valid JSON (line {e.LineNumber + 1}): {e.Message}"]);
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new ConfigException([$"config file '{origin}': must hold one JSON object of \"key\": value pairs"]);

            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            var problems = new List<string>();
            foreach (var property in document.RootElement.EnumerateObject())
            {
                var key = property.Name;
                var value = property.Value;
                switch (value.ValueKind)
                {
                    case JsonValueKind.String:
                        values[key] = value.GetString()!;
                        break;
                    case JsonValueKind.Number:
                        values[key] = value.GetRawText();
                        break;
                    case JsonValueKind.True:
                    case JsonValueKind.False:
                        values[key] = value.GetBoolean() ? "true" : "false";
                        break;
                    case JsonValueKind.Null:
                        break;
                    default:
                        problems.Add($"{key}: must be a string, number or boolean, not a JSON {value.ValueKind.ToString().ToLowerInvariant()} " +
                                     "(keys are flat and dotted, e.g. \"database.hostname\"; lists are comma-separated strings)");
                        break;
                }
            }
            return new RawConfig(values, problems, origin);
        }
    }
}
