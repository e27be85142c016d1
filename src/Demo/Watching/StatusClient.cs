using System.Text.Json;

namespace KafkaCdc.Demo.Watching;

/// <summary>
/// Reads the connectors' <c>/status</c> documents (snake_case JSON, README "REST endpoint and metrics") into views. A
/// connector that does not answer, or answers with something else, is shown as <c>unreachable</c> with the reason: the
/// view keeps running while a process starts or restarts.
/// </summary>
internal sealed class StatusClient(HttpClient http)
{
    /// <summary>The source's status.</summary>
    public async Task<SourceView> SourceAsync(string baseUrl, CancellationToken cancellationToken)
    {
        using var document = await GetAsync(baseUrl, cancellationToken);
        if (document.Error is not null) return SourceView.Unreachable(document.Error);
        var root = document.Json!.RootElement;
        var snapshot = root.GetProperty("snapshot");
        var tables = new Dictionary<string, TableSnapshotView>(StringComparer.Ordinal);
        foreach (var table in snapshot.GetProperty("tables").EnumerateObject())
        {
            var t = table.Value;
            tables[table.Name] = new TableSnapshotView(t.GetProperty("rows").GetInt64(), t.GetProperty("estimated_rows").GetInt64(),
                t.GetProperty("done").GetBoolean(), t.GetProperty("rows_per_second").GetDouble());
        }
        return new SourceView(Text(root, "state") ?? "?", root.GetProperty("events_per_second").GetDouble(),
            root.GetProperty("lag_bytes").GetInt64(), Text(root, "confirmed_lsn"), root.GetProperty("records_in_flight").GetInt64(),
            Text(root, "error"), Text(snapshot, "state") ?? "none", tables);
    }

    /// <summary>Sink process <paramref name="process"/>'s status.</summary>
    public async Task<SinkView> SinkAsync(int process, string baseUrl, CancellationToken cancellationToken)
    {
        using var document = await GetAsync(baseUrl, cancellationToken);
        if (document.Error is not null) return new SinkView(process, baseUrl, "unreachable", 0, document.Error, []);
        var root = document.Json!.RootElement;
        var tasks = root.GetProperty("tasks").EnumerateArray().Select(t => new SinkTaskView(
            t.GetProperty("id").GetInt32(),
            Text(t, "state") ?? "?",
            [.. t.GetProperty("partitions").EnumerateArray().Select(p => new PartitionLag(
                p.GetProperty("topic").GetString()!, p.GetProperty("partition").GetInt32(),
                p.GetProperty("lag").ValueKind == JsonValueKind.Number ? p.GetProperty("lag").GetInt64() : null))],
            t.GetProperty("stopped_tables").GetArrayLength())).ToList();
        return new SinkView(process, baseUrl, Text(root, "state") ?? "?", root.GetProperty("rows_per_second").GetDouble(),
            Text(root, "last_error"), tasks);
    }

    static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    async Task<StatusDocument> GetAsync(string baseUrl, CancellationToken cancellationToken)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(2));
            var text = await http.GetStringAsync(baseUrl.TrimEnd('/') + "/status", timeout.Token);
            return new StatusDocument(JsonDocument.Parse(text), null);
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return new StatusDocument(null, e.Message);
        }
    }

    sealed record StatusDocument(JsonDocument? Json, string? Error) : IDisposable
    {
        public void Dispose() => Json?.Dispose();
    }
}
