using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Confluent.SchemaRegistry;
using KafkaCdc.DevStack.SchemaRegistry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace KafkaCdc.Tests.DevStack.SchemaRegistry;

/// <summary>
/// Base of the schema registry fixtures. Conformance fixtures talk to the test run's registry (the dev stack's, the
/// containers' real one where Docker runs, or a real one at <c>SCHEMA_REGISTRY_URL</c>) through Confluent's own client
/// (<see cref="CachedSchemaRegistryClient"/>), or through raw HTTP (<see cref="SendAsync"/>) for what the client does not
/// expose, so that what passes here is what the real registry does. Fixtures that configure the server itself (auth,
/// global config, logging) set <see cref="NeedsInProcessServer"/>: they start their own <see cref="SchemaRegistryServer"/>
/// and are skipped, with that reason, when <c>SCHEMA_REGISTRY_URL</c> names an external registry. Tests use subjects
/// unique to them (<see cref="UniqueSubject"/>), deleted after the test on an external registry, so they can share one.
/// </summary>
public abstract class SchemaRegistryFixture
{
    /// <summary>The variable naming an external registry to test against instead.</summary>
    public const string ExternalUrlVariable = "SCHEMA_REGISTRY_URL";

    /// <summary>The content type of Confluent's requests and answers.</summary>
    protected const string RegistryJson = "application/vnd.schemaregistry.v1+json";

    readonly List<CachedSchemaRegistryClient> _clients = [];
    readonly List<string> _subjects = [];
    SchemaRegistryServer? _server;
    HttpClient _http = null!;

    /// <summary>The registry's base URL.</summary>
    protected Uri RegistryUrl { get; private set; } = null!;

    /// <summary>Options of the in-process server; a fixture that needs credentials overrides this.</summary>
    protected virtual SchemaRegistryServerOptions ServerOptions => new();

    /// <summary>True for fixtures that test the dev server's own configuration or internals: skipped against an external registry.</summary>
    protected virtual bool NeedsInProcessServer => false;

    /// <summary>Where the in-process server logs.</summary>
    protected virtual ILoggerFactory ServerLoggerFactory => NullLoggerFactory.Instance;

    static bool ExternalRegistry => !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(ExternalUrlVariable));

    [OneTimeSetUp]
    public async Task StartRegistryAsync()
    {
        if (!NeedsInProcessServer)
        {
            RegistryUrl = new Uri(TestEnvironment.RequireSchemaRegistryUrl().Split(',')[0].Trim().TrimEnd('/') + "/");
        }
        else
        {
            if (ExternalRegistry)
                Assert.Ignore($"{GetType().Name} tests the dev registry's own server (configuration, internals); skipped with {ExternalUrlVariable} set");
            _server = await SchemaRegistryServer.StartAsync(ServerOptions, ServerLoggerFactory, CancellationToken.None);
            RegistryUrl = _server.Url;
        }
        _http = new HttpClient { BaseAddress = RegistryUrl, Timeout = TimeSpan.FromSeconds(30) };
    }

    [OneTimeTearDown]
    public async Task StopRegistryAsync()
    {
        _http?.Dispose();
        if (_server is not null) await _server.DisposeAsync();
    }

    [TearDown]
    public async Task DisposeClientsAndSubjectsAsync()
    {
        foreach (var client in _clients) client.Dispose();
        _clients.Clear();
        if (ExternalRegistry && !NeedsInProcessServer)
        {
            // A shared real registry is left as found (soft delete, then hard delete, then the subject's level). The dev
            // registry has no deletes (405) and is dropped with its process.
            foreach (var subject in _subjects)
            {
                foreach (var path in new[] { $"subjects/{subject}", $"subjects/{subject}?permanent=true", $"config/{subject}" })
                {
                    var answer = await SendAsync(HttpMethod.Delete, path);
                    if (answer.Status is not (HttpStatusCode.OK or HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed))
                        Assert.Fail($"the test's subject {subject} is left in the registry: DELETE {path} answered {(int)answer.Status} {answer.Body?.ToJsonString()}");
                }
            }
        }
        _subjects.Clear();
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

    /// <summary>A subject no other test uses: the test's name and a random suffix; deleted after the test on an external registry.</summary>
    protected string UniqueSubject(string side = "value")
    {
        var test = TestContext.CurrentContext.Test.MethodName ?? "test";
        var subject = $"{test[..Math.Min(test.Length, 40)]}-{Guid.NewGuid().ToString("N")[..12]}-{side}";
        _subjects.Add(subject);
        return subject;
    }

    /// <summary>A topic no other test uses; its key and value subjects are deleted after the test on an external registry.</summary>
    protected string UniqueTopic()
    {
        var topic = $"t_{Guid.NewGuid():N}";
        _subjects.Add($"{topic}-key");
        _subjects.Add($"{topic}-value");
        return topic;
    }

    /// <summary>One request to the registry, its answer read as JSON (null when empty).</summary>
    protected async Task<RestAnswer> SendAsync(HttpMethod method, string path, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return new RestAnswer(response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text), response.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>A request body.</summary>
    protected static StringContent Body(string json, string contentType = RegistryJson) => new(json, Encoding.UTF8, contentType);

    /// <summary>A request body <c>{"schema": "..."}</c>.</summary>
    protected static StringContent SchemaBody(string schema) => Body(new JsonObject { ["schema"] = schema }.ToJsonString());

    /// <summary>Asserts a Confluent error answer: the status, the <c>error_code</c> and a part of the message.</summary>
    protected static void AssertError(RestAnswer answer, HttpStatusCode status, int errorCode, string? message = null)
    {
        Assert.That(answer.Status, Is.EqualTo(status), answer.Body?.ToJsonString());
        Assert.That((int?)answer.Body?["error_code"], Is.EqualTo(errorCode), answer.Body?.ToJsonString());
        if (message is not null) Assert.That((string?)answer.Body?["message"], Does.Contain(message));
    }

    /// <summary>
    /// <c>POST /compatibility/subjects/{subject}/versions[/{version}]?verbose=true</c> (no version: against every
    /// version, as a registration would be): whether compatible, and the messages, which Confluent's client does not expose.
    /// </summary>
    protected async Task<(bool IsCompatible, IReadOnlyList<string> Messages)> TestCompatibilityAsync(string subject, string schema, string? version)
    {
        var path = $"compatibility/subjects/{Uri.EscapeDataString(subject)}/versions{(version is null ? "" : "/" + version)}?verbose=true";
        var answer = await SendAsync(HttpMethod.Post, path, SchemaBody(schema));
        Assert.That(answer.Status, Is.EqualTo(HttpStatusCode.OK), answer.Body?.ToJsonString());
        return ((bool)answer.Body!["is_compatible"]!, [.. (answer.Body["messages"]?.AsArray() ?? []).Select(m => (string)m!)]);
    }
}
