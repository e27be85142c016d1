using Microsoft.Extensions.Logging;

namespace KafkaCdc.DevStack.SchemaRegistry;

/// <summary>
/// The dev stack's schema registry: a <see cref="SchemaRegistryServer"/> in this process on its own port,
/// published as <see cref="DevStackVariables.SchemaRegistryUrl"/>. Schemas live in memory for the life of
/// the process, like the mock cluster's topics.
/// </summary>
public sealed class SchemaRegistryComponent : IDevStackComponent
{
    readonly int _port;
    readonly ILoggerFactory _loggerFactory;
    readonly ILogger _logger;
    SchemaRegistryServer? _server;

    /// <summary>A component that will start the registry on <paramref name="port"/> (0: a free port).</summary>
    public SchemaRegistryComponent(int port, ILoggerFactory loggerFactory)
    {
        _port = port;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger("KafkaCdc.DevStack");
    }

    /// <inheritdoc />
    public string Name => "schema-registry";

    /// <inheritdoc />
    public async Task<IReadOnlyList<KeyValuePair<string, string>>> StartAsync(
        IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        _server = await SchemaRegistryServer.StartAsync(new SchemaRegistryServerOptions { Port = _port }, _loggerFactory, cancellationToken);
        var url = _server.Url.ToString().TrimEnd('/');
        Log.SchemaRegistryStarted(_logger, url);
        return [new(DevStackVariables.SchemaRegistryUrl, url)];
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }
}
