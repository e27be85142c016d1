using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Nodes;

namespace KafkaCdc.Shared.Avro;

/// <summary>
/// The custom attributes of a schema or field, kept sorted by key so that the schema's JSON is deterministic.
/// Values are deep copies taken on the way in and handed out as fresh copies, because <see cref="JsonNode"/> is
/// mutable and a schema must not change after its JSON form has been cached.
/// </summary>
internal sealed class SchemaProperties : IReadOnlyDictionary<string, JsonNode?>
{
    public static readonly SchemaProperties Empty = new([]);

    private readonly KeyValuePair<string, JsonNode?>[] _entries;

    private SchemaProperties(KeyValuePair<string, JsonNode?>[] sortedEntries) => _entries = sortedEntries;

    /// <summary>Copies <paramref name="properties"/>, rejecting keys the owner reserves for its own attributes.</summary>
    /// <param name="properties">The properties given, or <see langword="null"/> for none.</param>
    /// <param name="reserved">Attribute names the owner's JSON form uses itself.</param>
    /// <param name="owner">How to name the owner in errors, e.g. <c>record 'x.Order'</c>.</param>
    public static SchemaProperties From(
        IEnumerable<KeyValuePair<string, JsonNode?>>? properties, ISet<string> reserved, string owner)
    {
        if (properties is null)
        {
            return Empty;
        }

        var entries = new List<KeyValuePair<string, JsonNode?>>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, value) in properties)
        {
            if (reserved.Contains(key))
            {
                throw new AvroSchemaException($"{owner}: '{key}' is an Avro attribute, not a custom property");
            }

            if (!seen.Add(key))
            {
                throw new AvroSchemaException($"{owner}: property '{key}' given twice");
            }

            entries.Add(new(key, value?.DeepClone()));
        }

        if (entries.Count == 0)
        {
            return Empty;
        }

        entries.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        return new SchemaProperties([.. entries]);
    }

    public int Count => _entries.Length;

    public IEnumerable<string> Keys => _entries.Select(e => e.Key);

    public IEnumerable<JsonNode?> Values => _entries.Select(e => e.Value?.DeepClone());

    public JsonNode? this[string key] =>
        TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"no property '{key}'");

    public bool ContainsKey(string key) => IndexOf(key) >= 0;

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out JsonNode? value)
    {
        var index = IndexOf(key);
        value = index >= 0 ? _entries[index].Value?.DeepClone() : null;
        return index >= 0;
    }

    public IEnumerator<KeyValuePair<string, JsonNode?>> GetEnumerator() =>
        _entries.Select(e => new KeyValuePair<string, JsonNode?>(e.Key, e.Value?.DeepClone())).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The stored entries without copying, for the JSON writer only.</summary>
    internal ReadOnlySpan<KeyValuePair<string, JsonNode?>> Entries => _entries;

    private int IndexOf(string key)
    {
        int lo = 0, hi = _entries.Length - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var cmp = string.CompareOrdinal(_entries[mid].Key, key);
            if (cmp == 0)
            {
                return mid;
            }

            if (cmp < 0)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return -1;
    }
}
