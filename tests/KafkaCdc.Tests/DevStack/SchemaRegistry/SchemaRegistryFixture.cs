using Confluent.SchemaRegistry;
using KafkaCdc.DevStack.SchemaRegistry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace KafkaCdc.Tests.DevStack.SchemaRegistry;

/// <summary>
/// Base of the schema registry conformance fixtures: Confluent's own client (<see cref="CachedSchemaRegistryClient"/>)
/// against the test run's registry (the dev stack's, or a real one at <c>SCHEMA_REGISTRY_URL</c>), so that what passes
/// here is what the real registry does. Fixtures that configure the server itself (auth, global config) start their own
/// <see cref="SchemaRegistryServer"/> in-process instead, and are skipped with a reason against a real registry. Tests
/// use subjects unique to them, so they can share a registry.
/// </summary>
public abstract class SchemaRegistryFixture
{
    /// <summary>The variable naming an external registry to test against instead.</summary>
    public const string ExternalUrlVariable = "SCHEMA_REGISTRY_URL";

    readonly List<CachedSchemaRegistryClient> _clients = [];
    SchemaRegistryServer? _server;

    /// <summary>The registry's base URL.</summary>
    protected Uri RegistryUrl { get; private set; } = null!;

    /// <summary>Options of the in-process server; a fixture that needs credentials overrides this.</summary>
    protected virtual SchemaRegistryServerOptions ServerOptions => new();

    /// <summary>True for fixtures that test the server's own configuration (auth...): ignored against an external registry.</summary>
    protected virtual bool NeedsInProcessServer => false;

    /// <summary>Where the in-process server logs.</summary>
    protected virtual ILoggerFactory ServerLoggerFactory => NullLoggerFactory.Instance;

    [OneTimeSetUp]
    public async Task StartRegistryAsync()
    {
        if (!NeedsInProcessServer)
        {
            RegistryUrl = new Uri(TestEnvironment.RequireSchemaRegistryUrl().Split(',')[0].Trim());
            return;
        }
        if (!string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(ExternalUrlVariable)))
            Assert.Ignore($"{GetType().Name} configures its own registry; skipped with {ExternalUrlVariable} set");

        _server = await SchemaRegistryServer.StartAsync(ServerOptions, ServerLoggerFactory, CancellationToken.None);
        RegistryUrl = _server.Url;
    }

    [OneTimeTearDown]
    public async Task StopRegistryAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }

    [TearDown]
    public void DisposeClients()
    {
        foreach (var client in _clients) client.Dispose();
        _clients.Clear();
    }

    /// <summary>A client of the fixture's registry with fast retries, disposed after the test.</summary>
    protected CachedSchemaRegistryClient CreateClient(string? basicAuthUserInfo = null)
    {
        var config = new SchemaRegistryConfig { Url = RegistryUrl.ToString(), RequestTimeoutMs = 10_000, MaxRetries = 2, RetriesWaitMs = 1, RetriesMaxWaitMs = 10 };
        if (basicAuthUserInfo is not null)
        {
            config.BasicAuthCredentialsSource = AuthCredentialsSource.UserInfo;
            config.BasicAuthUserInfo = basicAuthUserInfo;
        }
        var client = new CachedSchemaRegistryClient(config);
        _clients.Add(client);
        return client;
    }

    /// <summary>An Avro schema as the registry client takes it.</summary>
    protected static Schema Avro(string json) => new(json, SchemaType.Avro);

    /// <summary>A subject no other test uses: the test's name and a random suffix.</summary>
    protected static string UniqueSubject(string side = "value")
    {
        var test = TestContext.CurrentContext.Test.MethodName ?? "test";
        return $"{test[..Math.Min(test.Length, 40)]}-{Guid.NewGuid().ToString("N")[..12]}-{side}";
    }

    /// <summary>A topic no other test uses.</summary>
    protected static string UniqueTopic() => $"t_{Guid.NewGuid():N}";
}
