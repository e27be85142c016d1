using System.Text.Json;
using KafkaCdc.SourceConnector.Configuration;

namespace KafkaCdc.SourceConnector.Snapshots;

/// <summary>What a signal asks for.</summary>
internal enum SignalType
{
    /// <summary><c>execute-snapshot</c>: an incremental snapshot of the tables named.</summary>
    ExecuteSnapshot,

    /// <summary><c>stop-snapshot</c>: stop the snapshot of the tables named, or of all.</summary>
    StopSnapshot,

    /// <summary><c>pause-snapshot</c>.</summary>
    PauseSnapshot,

    /// <summary><c>resume-snapshot</c>.</summary>
    ResumeSnapshot,

    /// <summary>The connector's own watermark rows around a chunk (<c>snapshot-window-open</c>, <c>snapshot-window-close</c>).</summary>
    Watermark,
}

/// <summary>
/// A signal: from a row inserted into the signal table (columns <c>id</c>, <c>type</c>, <c>data</c>, as in the seed
/// and Debezium), from <c>POST /signals</c> or from the <c>signal</c> command. <c>data</c> is JSON:
/// <c>{"data-collections": ["schema.table", ...], "type": "incremental", "additional-conditions": [{"data-collection":
/// "schema.table", "filter": "SQL condition"}]}</c> for <c>execute-snapshot</c>; <c>{"data-collections": [...]}</c>
/// (optional) for <c>stop-snapshot</c>; nothing for pause and resume.
/// </summary>
/// <param name="Id">The signal's id.</param>
/// <param name="Type">What it asks for.</param>
/// <param name="Tables">The tables named (execute, stop), in order.</param>
/// <param name="Conditions">Per table, the extra filter of <c>additional-conditions</c>.</param>
/// <param name="Source">Where it came from, for the log (<c>signal table</c>, <c>REST</c>).</param>
internal sealed record Signal(string Id, SignalType Type, IReadOnlyList<TableName> Tables, IReadOnlyDictionary<TableName, string> Conditions, string Source)
{
    /// <summary>The watermark row types the connector writes itself.</summary>
    public const string WindowOpen = "snapshot-window-open";

    /// <summary>See <see cref="WindowOpen"/>.</summary>
    public const string WindowClose = "snapshot-window-close";

    /// <summary>
    /// For <c>execute-snapshot</c>: a table of the running snapshot that already passed some rows (or reads only some, by an
    /// additional condition) starts again from its first row, reading all of it, instead of the signal leaving it as it
    /// is. Set by the connector's own backfills after a schema change, whose rows already read may hold old values.
    /// </summary>
    public bool RestartsTables { get; init; }

    static readonly Dictionary<SignalType, string> s_types = new()
    {
        [SignalType.ExecuteSnapshot] = "execute-snapshot",
        [SignalType.StopSnapshot] = "stop-snapshot",
        [SignalType.PauseSnapshot] = "pause-snapshot",
        [SignalType.ResumeSnapshot] = "resume-snapshot",
    };

    /// <summary>The name of a signal type as signals spell it (<c>execute-snapshot</c>, ...).</summary>
    public static string NameOf(SignalType type) => s_types.TryGetValue(type, out var name) ? name : WindowClose;

    /// <summary>Parses a signal, or says what is wrong with it (naming the field).</summary>
    public static Signal Parse(string? id, string? type, string? data, string source)
    {
        if (string.IsNullOrWhiteSpace(id)) throw new SignalException(id, "the signal has no id");
        var name = type?.Trim().ToLowerInvariant();
        var kind = name is WindowOpen or WindowClose ? SignalType.Watermark
            : s_types.FirstOrDefault(t => t.Value == name) is { Value: not null } known ? known.Key
            : throw new SignalException(id, $"unknown type '{type}'; use {string.Join(", ", s_types.Values)}");
        if (kind is SignalType.Watermark or SignalType.PauseSnapshot or SignalType.ResumeSnapshot)
            return new Signal(id, kind, [], new Dictionary<TableName, string>(), source);

        JsonElement root;
        try
        {
            root = string.IsNullOrWhiteSpace(data) ? default : JsonDocument.Parse(data).RootElement;
        }
        catch (JsonException e)
        {
            throw new SignalException(id, $"data is not JSON: {e.Message}");
        }
        if (root.ValueKind != JsonValueKind.Undefined && root.ValueKind != JsonValueKind.Object)
            throw new SignalException(id, "data must be a JSON object");

        var tables = new List<TableName>();
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("data-collections", out var collections))
        {
            if (collections.ValueKind != JsonValueKind.Array) throw new SignalException(id, "data-collections must be an array of \"schema.table\" names");
            foreach (var item in collections.EnumerateArray())
                tables.Add(TableOf(id, item, "data-collections"));
        }
        if (kind == SignalType.ExecuteSnapshot && tables.Count == 0)
            throw new SignalException(id, "execute-snapshot needs data-collections: [\"schema.table\", ...]");

        var conditions = new Dictionary<TableName, string>();
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("type", out var snapshotType)
            && !string.Equals(snapshotType.GetString(), "incremental", StringComparison.OrdinalIgnoreCase))
        {
            throw new SignalException(id, $"snapshot type '{snapshotType}' is not supported; only incremental snapshots are taken on a signal");
        }
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("additional-conditions", out var additional))
        {
            if (additional.ValueKind != JsonValueKind.Array) throw new SignalException(id, "additional-conditions must be an array of {\"data-collection\", \"filter\"}");
            foreach (var item in additional.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("data-collection", out var collection)
                    || !item.TryGetProperty("filter", out var filter) || filter.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(filter.GetString()))
                {
                    throw new SignalException(id, "each additional-conditions entry needs \"data-collection\" and a non-empty \"filter\"");
                }
                var table = TableOf(id, collection, "additional-conditions");
                if (!tables.Contains(table)) throw new SignalException(id, $"additional-conditions names {table}, which is not in data-collections");
                conditions[table] = filter.GetString()!;
            }
        }
        return new Signal(id, kind, tables, conditions, source);
    }

    static TableName TableOf(string id, JsonElement item, string field)
    {
        var text = item.ValueKind == JsonValueKind.String ? item.GetString() : null;
        var table = text is null ? null : TableName.TryParse(text, out _);
        return table ?? throw new SignalException(id, $"{field}: '{item}' is not a \"schema.table\" name");
    }
}

/// <summary>A signal that cannot be carried out, with the reason; logged and shown in <c>/status</c>, never fatal.</summary>
internal sealed class SignalException(string? id, string reason) : Exception($"signal '{id}': {reason}")
{
    /// <summary>The signal's id.</summary>
    public string? Id { get; } = id;

    /// <summary>What is wrong.</summary>
    public string Reason { get; } = reason;
}
