using System.Net;
using KafkaCdc.DevStack.Kafka;
using KafkaCdc.Shared.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KafkaCdc.DevStack.Admin;

/// <summary>
/// The fault-injection HTTP endpoint (Kestrel, 127.0.0.1 only; routes in <see cref="AdminRoutes"/>), published
/// as <see cref="DevStackVariables.AdminUrl"/>. Use <see cref="DevStackAdminClient"/> to call it.
/// </summary>
public sealed class AdminEndpoint : IDevStackComponent
{
    readonly MockKafkaComponent _kafka;
    readonly int _port;
    readonly ILogger _logger;
    WebApplication? _app;

    /// <summary>An endpoint acting on <paramref name="kafka"/>'s cluster (which must start first).</summary>
    /// <param name="kafka">The Kafka component.</param>
    /// <param name="port">The port to listen on; 0 for a free one.</param>
    /// <param name="logger">Receives the fault injections done, at Warning.</param>
    public AdminEndpoint(MockKafkaComponent kafka, int port, ILogger logger)
    {
        _kafka = kafka;
        _port = port;
        _logger = logger;
    }

    /// <inheritdoc />
    public string Name => "admin endpoint";

    /// <inheritdoc />
    public async Task<IReadOnlyList<KeyValuePair<string, string>>> StartAsync(
        IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace).SetMinimumLevel(LogLevel.Warning);
        // The dev stack handles SIGINT/SIGTERM itself and stops this endpoint in order.
        builder.Services.AddSingleton<IHostLifetime, EmbeddedHostLifetime>();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, _port));

        _app = builder.Build();
        AdminRoutes.Map(_app, _kafka.Cluster, _logger);
        await _app.StartAsync(cancellationToken);

        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Log.AdminStarted(_logger, address);
        return [new(DevStackVariables.AdminUrl, address)];
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_app is null) return;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
    }
}
