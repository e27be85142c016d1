using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using KafkaCdc.Shared.Hosting;
using KafkaCdc.SourceConnector.Configuration;

namespace KafkaCdc.SourceConnector.Snapshots;

/// <summary>
/// The <c>signal</c> command: sends a signal to the connector running with the same configuration, through
/// <c>POST /signals</c> on its <c>rest.port</c> on this host. The way to signal a connector that may not write to the
/// source database (<c>read.only=true</c>).
/// </summary>
/// <remarks>
/// <c>signal TYPE [TABLE ...]</c> builds the data from the table names (<c>execute-snapshot public.orders</c>);
/// <c>signal TYPE DATA-JSON</c> passes the data as the signal table's <c>data</c> column would hold it (filters:
/// <c>additional-conditions</c>).
/// </remarks>
internal static class SignalCommand
{
    /// <summary>Sends the signal; exit code 0 when the connector accepted it, 1 when it refused, 2 for bad arguments.</summary>
    public static async Task<int> RunAsync(SourceOptions options, IReadOnlyList<string> arguments, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (arguments.Count == 0)
        {
            await error.WriteLineAsync("signal: name the signal type (execute-snapshot, stop-snapshot, pause-snapshot, resume-snapshot) and, " +
                "for execute-snapshot, the tables (schema.table ...) or the data as JSON");
            return ConnectorCommandLine.ConfigErrorExitCode;
        }
        if (options.RestPort == 0)
        {
            await error.WriteLineAsync($"signal: {SourceOptions.RestPortKey} is 0, so the connector has no REST endpoint to take signals; " +
                "set it, or insert the signal into the signal table");
            return ConnectorCommandLine.ConfigErrorExitCode;
        }
        JsonNode? data = arguments.Count switch
        {
            1 => null,
            2 when arguments[1].TrimStart().StartsWith('{') => ParseData(arguments[1]),
            _ => new JsonObject { ["data-collections"] = new JsonArray([.. arguments.Skip(1).Select(t => JsonValue.Create(t))]) },
        };
        var body = new JsonObject { ["id"] = $"cli-{DateTime.UtcNow:yyyyMMddTHHmmss.fffZ}", ["type"] = arguments[0], ["data"] = data };
        var url = new Uri($"http://127.0.0.1:{options.RestPort}/signals");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        try
        {
            using var response = await http.PostAsJsonAsync(url, body, cancellationToken);
            var reply = await response.Content.ReadAsStringAsync(cancellationToken);
            await (response.IsSuccessStatusCode ? output : error).WriteLineAsync($"{(int)response.StatusCode} {reply}");
            return response.IsSuccessStatusCode ? 0 : ConnectorCommandLine.FailedExitCode;
        }
        catch (HttpRequestException e)
        {
            await error.WriteLineAsync($"signal: could not reach the connector at {url} ({e.Message}); is it running with {SourceOptions.RestPortKey}={options.RestPort} on this host?");
            return ConnectorCommandLine.FailedExitCode;
        }
    }

    static JsonNode? ParseData(string text)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            // Passed on as text: the connector names what is wrong with it.
            return JsonValue.Create(text);
        }
    }
}
