using System.Text.Json;
using KafkaCdc.Shared.Metrics;
using OpenTelemetry.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KafkaCdc.Shared.Hosting;

/// <summary>
/// The connectors' HTTP endpoint (<c>rest.port</c>): <c>GET /health</c> (200 or 503 with the state),
/// <c>GET /status</c> (JSON from the connector) and <c>GET /metrics</c> (Prometheus text format).
/// </summary>
public sealed class ConnectorRestServer : IAsyncDisposable
{
    static readonly JsonSerializerOptions Json = new()
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
    public static async Task<ConnectorRestServer?> StartAsync(
        int port, Func<HealthReport> health, Func<object> status, ConnectorMeter metrics,
        ILoggerFactory loggerFactory, CancellationToken cancellationToken)
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
                Json, statusCode: report.IsHealthy ? 200 : 503);
        });
        app.MapGet("/status", () =>
        {
            var value = status();
            return Results.Text(JsonSerializer.Serialize(value, value.GetType(), Json), "application/json");
        });
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
