using System.Text.Json;
using KafkaCdc.Shared.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KafkaCdc.Shared.Hosting;

/// <summary>
/// The connectors' HTTP endpoint (<c>rest.port</c>): <c>GET /health</c> (200 or 503 with the state),
/// <c>GET /status</c> (JSON from the connector), <c>GET /metrics</c> (Prometheus text format) and, where the connector
/// takes them, <c>POST /signals</c> (the request body to the connector's handler, its reply as JSON).
/// </summary>
public sealed class ConnectorRestServer : IAsyncDisposable
{
    static readonly JsonSerializerOptions s_json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        WriteIndented = true,
    };

    readonly WebApplication _app;

    ConnectorRestServer(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    /// <summary>The port the server listens on (all interfaces).</summary>
    public int Port { get; }

    /// <summary>
    /// Starts the endpoint on <paramref name="port"/>, or returns null when the port is 0 (disabled).
    /// </summary>
    /// <param name="port">The port; 0 disables the endpoint.</param>
    /// <param name="health">The health report of <c>GET /health</c>.</param>
    /// <param name="status">The document of <c>GET /status</c>.</param>
    /// <param name="metrics">The meter <c>GET /metrics</c> exports.</param>
    /// <param name="loggerFactory">Logging.</param>
    /// <param name="cancellationToken">Stops the start.</param>
    /// <param name="signals">Handles <c>POST /signals</c> (body text → HTTP status and reply); null: no such route.</param>
    public static async Task<ConnectorRestServer?> StartAsync(
        int port, Func<HealthReport> health, Func<object> status, ConnectorMeter metrics,
        ILoggerFactory loggerFactory, CancellationToken cancellationToken, Func<string, (int Status, object Reply)>? signals = null)
    {
        if (port == 0) return null;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggerFactory);
        builder.Services.AddSingleton<IHostLifetime, EmbeddedHostLifetime>();
        builder.WebHost.ConfigureKestrel(options => options.ListenAnyIP(port));
        var app = builder.Build();

        app.MapGet("/health", () =>
        {
            var report = health();
            return Results.Json(
                new { status = report.IsHealthy ? "UP" : "DOWN", state = report.State, error = report.Error },
                s_json, statusCode: report.IsHealthy ? 200 : 503);
        });
        app.MapGet("/status", () =>
        {
            var value = status();
            return Results.Text(JsonSerializer.Serialize(value, value.GetType(), s_json), "application/json");
        });
        if (signals is not null)
        {
            app.MapPost("/signals", async (HttpRequest request) =>
            {
                using var body = new StreamReader(request.Body);
                var (code, reply) = signals(await body.ReadToEndAsync(request.HttpContext.RequestAborted));
                return Results.Json(reply, s_json, statusCode: code);
            });
        }
        app.MapPrometheusScrapingEndpoint("/metrics", metrics.Provider, configureBranchedPipeline: null, optionsName: null);

        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (IOException e)
        {
            await app.DisposeAsync();
            throw new InvalidOperationException($"rest.port: cannot listen on port {port}: {e.Message}", e);
        }
        return new ConnectorRestServer(app, port);
    }

    /// <summary>Stops listening.</summary>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
