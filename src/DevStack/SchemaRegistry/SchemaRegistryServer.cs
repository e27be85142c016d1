using System.Diagnostics;
using System.Net;
using KafkaCdc.Shared.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KafkaCdc.DevStack.SchemaRegistry;

/// <summary>
/// An in-memory schema registry for local development and tests, speaking the part of
/// <see href="https://docs.confluent.io/platform/current/schema-registry/develop/api.html">Confluent Schema Registry's
/// REST API</see> that the connectors use, with Confluent 7.x's status codes, <c>error_code</c>s and messages.
/// Avro only. Everything is lost on <see cref="DisposeAsync"/>.
/// </summary>
/// <remarks>
/// <para>Resources: <c>GET /subjects</c>; <c>POST /subjects/{s}</c> (lookup); <c>GET|POST /subjects/{s}/versions</c>;
/// <c>GET /subjects/{s}/versions/{v}[/schema]</c> (<c>v</c> from 1, <c>latest</c> or <c>-1</c>);
/// <c>GET /schemas/ids/{id}</c>; <c>GET /schemas/types</c>; <c>POST /compatibility/subjects/{s}/versions[/{v}]</c>
/// (<c>?verbose=true</c> adds messages); <c>GET|PUT /config</c>; <c>GET|PUT /config/{s}</c>
/// (<c>?defaultToGlobal=true</c>). See <c>README.md</c> in this folder for the behaviours modelled and the
/// differences from Confluent.</para>
/// <para>Thread-safe. Requests are logged at Debug, never with their credentials.</para>
/// </remarks>
public sealed class SchemaRegistryServer : IAsyncDisposable
{
    readonly WebApplication _app;
    readonly ILogger _logger;

    SchemaRegistryServer(WebApplication app, Uri url, ILogger logger)
    {
        _app = app;
        Url = url;
        _logger = logger;
    }

    /// <summary>The base URL clients use, e.g. <c>http://127.0.0.1:40123/</c>.</summary>
    public Uri Url { get; }

    /// <summary>Starts a registry with no subjects, listening as <paramref name="options"/> say.</summary>
    /// <exception cref="ArgumentException">The options are inconsistent (a port out of range, a user without a password...).</exception>
    /// <exception cref="InvalidOperationException">The port cannot be listened on (already taken...); the inner exception says why.</exception>
    public static async Task<SchemaRegistryServer> StartAsync(
        SchemaRegistryServerOptions options, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        options.Validate();

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.Logging.AddProvider(new ForwardingLoggerProvider(loggerFactory));
        builder.Services.AddSingleton<IHostLifetime, EmbeddedHostLifetime>();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(options.ListenAddress, options.Port));
        var app = builder.Build();

        var logger = loggerFactory.CreateLogger<SchemaRegistryServer>();
        var authentication = options.BasicAuthUser is null
            ? null
            : new BasicAuthentication(options.BasicAuthUser, options.BasicAuthPassword!);
        app.Use((context, next) => AnswerAsync(context, next, authentication, logger));
        new SchemaRegistryEndpoints(new SchemaStore(), logger).Map(app);

        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException)
        {
            await app.DisposeAsync();
            throw new InvalidOperationException(
                $"the schema registry cannot listen on {options.ListenAddress}:{options.Port}: {e.Message} (choose another port, or 0 for any free one)", e);
        }

        var url = UrlOf(app, options.ListenAddress);
        SchemaRegistryServerLog.Listening(logger, url, authentication is null ? "" : " (basic auth required)");
        return new SchemaRegistryServer(app, url, logger);
    }

    /// <summary>Stops listening and drops every schema.</summary>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
        SchemaRegistryServerLog.Stopped(_logger, Url);
    }

    /// <summary>
    /// Wraps every request: logs it, checks credentials, and turns <see cref="RegistryError"/>s and body-less
    /// error statuses (no such route, wrong method) into Confluent's error bodies.
    /// </summary>
    static async Task AnswerAsync(HttpContext context, RequestDelegate next, BasicAuthentication? authentication, ILogger logger)
    {
        var started = Stopwatch.GetTimestamp();
        var path = context.Request.Path + context.Request.QueryString;
        try
        {
            if (authentication is not null && !authentication.Allows(context.Request)) throw RegistryError.Unauthorized();
            await next(context);
            if (!context.Response.HasStarted && context.Response.StatusCode >= 400)
                throw RegistryError.ForStatus(context.Response.StatusCode);
        }
        catch (RegistryError error) when (!context.Response.HasStarted)
        {
            SchemaRegistryServerLog.Rejected(logger, context.Request.Method, path, error.Status, error.ErrorCode, error.Message);
            await RegistryHttp.WriteErrorAsync(context, error);
        }
        catch (Exception e) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            SchemaRegistryServerLog.Failed(logger, context.Request.Method, path, e);
            await RegistryHttp.WriteErrorAsync(context, RegistryError.Internal($"Internal error: {e.Message}"));
        }
        finally
        {
            SchemaRegistryServerLog.Request(logger, context.Request.Method, path, context.Response.StatusCode,
                Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }

    static Uri UrlOf(WebApplication app, IPAddress listenAddress)
    {
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var port = new Uri(address).Port;
        var host = listenAddress.Equals(IPAddress.Any) || listenAddress.Equals(IPAddress.IPv6Any) ? IPAddress.Loopback : listenAddress;
        return new UriBuilder(Uri.UriSchemeHttp, host.ToString(), port).Uri;
    }
}
