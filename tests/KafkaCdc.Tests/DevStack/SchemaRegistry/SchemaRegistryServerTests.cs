using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using KafkaCdc.DevStack.SchemaRegistry;
using KafkaCdc.Tests.DevStack.SchemaRegistry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using static KafkaCdc.Tests.DevStack.SchemaRegistry.RegistryTestSchemas;

namespace KafkaCdc.Tests.DevStack.SchemaRegistry;

/// <summary>The registry's HTTP answers as raw JSON: status codes, Confluent error codes and content types.</summary>
public class SchemaRegistryServerTests : SchemaRegistryFixture
{
    const string RegistryJson = "application/vnd.schemaregistry.v1+json";

    readonly CapturingLoggerFactory _serverLogs = new();
    HttpClient _http = null!;

    protected override ILoggerFactory ServerLoggerFactory => _serverLogs;

    // These tests pin the dev server's own answers, so they run against a server of their own.
    protected override bool NeedsInProcessServer => true;

    [SetUp]
    public void CreateHttpClient() => _http = new HttpClient { BaseAddress = RegistryUrl };

    [TearDown]
    public void DisposeHttpClient() => _http.Dispose();

    static StringContent Body(string json, string contentType = RegistryJson) => new(json, Encoding.UTF8, contentType);

    static StringContent SchemaBody(string schema) => Body(new JsonObject { ["schema"] = schema }.ToJsonString());

    async Task<(HttpStatusCode Status, JsonNode? Body, string? ContentType)> SendAsync(HttpMethod method, string path, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text), response.Content.Headers.ContentType?.MediaType);
    }

    static void AssertError((HttpStatusCode Status, JsonNode? Body, string? ContentType) answer, HttpStatusCode status, int errorCode, string? message = null)
    {
        Assert.That(answer.Status, Is.EqualTo(status));
        Assert.That((int?)answer.Body?["error_code"], Is.EqualTo(errorCode), answer.Body?.ToJsonString());
        if (message is not null) Assert.That((string?)answer.Body?["message"], Does.Contain(message));
    }

    [Test]
    public async Task Register_AnswersIdWithRegistryContentType()
    {
        var answer = await SendAsync(HttpMethod.Post, $"subjects/{UniqueSubject()}/versions", SchemaBody(Customer));

        Assert.That(answer.Status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((int?)answer.Body?["id"], Is.Positive);
        Assert.That(answer.ContentType, Is.EqualTo(RegistryJson));
    }

    [TestCase("application/json")]
    [TestCase("application/octet-stream")]
    [TestCase("application/vnd.schemaregistry+json")]
    public async Task Register_OtherAcceptedContentTypes_AreRead(string contentType)
    {
        var answer = await SendAsync(HttpMethod.Post, $"subjects/{UniqueSubject()}/versions",
            Body(new JsonObject { ["schema"] = Customer }.ToJsonString(), contentType));

        Assert.That(answer.Status, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Register_TextPlain_Answers415()
    {

        var answer = await SendAsync(HttpMethod.Post, $"subjects/{UniqueSubject()}/versions", Body("{}", "text/plain"));

        AssertError(answer, HttpStatusCode.UnsupportedMediaType, 415);
    }

    [Test]
    public async Task UnknownRoute_Answers404WithErrorCode404()
    {
        var answer = await SendAsync(HttpMethod.Get, "no/such/resource");

        AssertError(answer, HttpStatusCode.NotFound, 404);
    }

    [Test]
    public async Task WrongMethod_Answers405()
    {
        var answer = await SendAsync(HttpMethod.Delete, "config");

        AssertError(answer, HttpStatusCode.MethodNotAllowed, 405);
    }

    [Test]
    public async Task Register_MalformedJson_Answers400NotA500()
    {
        var answer = await SendAsync(HttpMethod.Post, $"subjects/{UniqueSubject()}/versions", Body("{\"schema\": "));

        AssertError(answer, HttpStatusCode.BadRequest, 400);
    }

    [Test]
    public async Task Register_NoSchemaMember_Answers42201()
    {
        var answer = await SendAsync(HttpMethod.Post, $"subjects/{UniqueSubject()}/versions", Body("""{"schemaType":"AVRO"}"""));

        AssertError(answer, HttpStatusCode.UnprocessableEntity, 42201);
    }

    [Test]
    public async Task Register_InvalidAvro_Answers42201WithTheParsersMessage()
    {
        var answer = await SendAsync(HttpMethod.Post, $"subjects/{UniqueSubject()}/versions",
            SchemaBody("""{"type":"enum","name":"E","symbols":["A","A"]}"""));

        AssertError(answer, HttpStatusCode.UnprocessableEntity, 42201, "Invalid schema");
        Assert.That((string?)answer.Body?["message"], Does.Contain("A"));
    }

    [Test]
    public async Task Register_ProtobufSchemaType_Answers42201SayingOnlyAvro()
    {
        var body = Body(new JsonObject { ["schema"] = "syntax = \"proto3\";", ["schemaType"] = "PROTOBUF" }.ToJsonString());

        var answer = await SendAsync(HttpMethod.Post, $"subjects/{UniqueSubject()}/versions", body);

        AssertError(answer, HttpStatusCode.UnprocessableEntity, 42201, "only AVRO");
    }

    [TestCase("0")]
    [TestCase("-2")]
    [TestCase("first")]
    public async Task GetVersion_InvalidVersion_Answers42202(string version)
    {
        var subject = UniqueSubject();
        await SendAsync(HttpMethod.Post, $"subjects/{subject}/versions", SchemaBody(Customer));

        var answer = await SendAsync(HttpMethod.Get, $"subjects/{subject}/versions/{version}");

        AssertError(answer, HttpStatusCode.UnprocessableEntity, 42202, $"'{version}' is not a valid version");
    }

    [TestCase("latest")]
    [TestCase("-1")]
    [TestCase("1")]
    public async Task GetVersion_LatestOrNumber_AnswersTheVersion(string version)
    {
        var subject = UniqueSubject();
        var registered = await SendAsync(HttpMethod.Post, $"subjects/{subject}/versions", SchemaBody(Customer));

        var answer = await SendAsync(HttpMethod.Get, $"subjects/{subject}/versions/{version}");

        Assert.That(answer.Status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((string?)answer.Body?["subject"], Is.EqualTo(subject));
        Assert.That((int?)answer.Body?["version"], Is.EqualTo(1));
        Assert.That((int?)answer.Body?["id"], Is.EqualTo((int?)registered.Body?["id"]));
        Assert.That((string?)answer.Body?["schema"], Is.EqualTo(FullForm(Customer)));
    }

    [Test]
    public async Task GetSchemaById_Unknown_Answers40403NamingTheId()
    {
        var answer = await SendAsync(HttpMethod.Get, "schemas/ids/765432");

        AssertError(answer, HttpStatusCode.NotFound, 40403, "Schema 765432 not found");
    }

    [Test]
    public async Task GetSubjectVersions_UnknownSubject_Answers40401()
    {
        var subject = UniqueSubject();

        var answer = await SendAsync(HttpMethod.Get, $"subjects/{subject}/versions");

        AssertError(answer, HttpStatusCode.NotFound, 40401, $"Subject '{subject}' not found.");
    }

    [Test]
    public async Task Register_Incompatible_Answers409WithConfluentMessage()
    {
        var subject = UniqueSubject();
        await SendAsync(HttpMethod.Put, $"config/{subject}", Body("""{"compatibility":"BACKWARD"}"""));
        await SendAsync(HttpMethod.Post, $"subjects/{subject}/versions", SchemaBody(Customer));

        var answer = await SendAsync(HttpMethod.Post, $"subjects/{subject}/versions", SchemaBody(CustomerWithRequiredEmail));

        AssertError(answer, HttpStatusCode.Conflict, 409,
            $"Schema being registered is incompatible with an earlier schema for subject \"{subject}\", details: [");
    }

    [Test]
    public async Task CompatibilityTest_WithoutVerbose_HasNoMessages()
    {
        var subject = UniqueSubject();
        await SendAsync(HttpMethod.Post, $"subjects/{subject}/versions", SchemaBody(Customer));

        var answer = await SendAsync(HttpMethod.Post, $"compatibility/subjects/{subject}/versions/latest", SchemaBody(CustomerWithStringId));

        Assert.That(answer.Status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((bool?)answer.Body?["is_compatible"], Is.False);
        Assert.That(answer.Body?["messages"], Is.Null);
    }

    [Test]
    public async Task SubjectConfig_NotSet_Answers40408UnlessDefaultToGlobal()
    {
        var subject = UniqueSubject();

        var own = await SendAsync(HttpMethod.Get, $"config/{subject}");
        var fallback = await SendAsync(HttpMethod.Get, $"config/{subject}?defaultToGlobal=true");

        AssertError(own, HttpStatusCode.NotFound, 40408, $"Subject '{subject}' does not have subject-level compatibility configured");
        Assert.That(fallback.Status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((string?)fallback.Body?["compatibilityLevel"], Is.Not.Null);
    }

    [Test]
    public async Task PutConfig_AnswersTheLevelSet()
    {
        var subject = UniqueSubject();

        var put = await SendAsync(HttpMethod.Put, $"config/{subject}", Body("""{"compatibility":"FULL"}"""));
        var get = await SendAsync(HttpMethod.Get, $"config/{subject}");

        Assert.That((string?)put.Body?["compatibility"], Is.EqualTo("FULL"));
        Assert.That((string?)get.Body?["compatibilityLevel"], Is.EqualTo("FULL"));
    }

    [TestCase("""{"compatibility":"SIDEWAYS"}""")]
    [TestCase("""{"level":"FULL"}""")]
    public async Task PutConfig_InvalidLevel_Answers42203(string body)
    {
        var answer = await SendAsync(HttpMethod.Put, $"config/{UniqueSubject()}", Body(body));

        AssertError(answer, HttpStatusCode.UnprocessableEntity, 42203, "Invalid compatibility level");
    }

    [Test]
    public async Task Register_ManyDistinctSchemasAtOnce_GivesOneVersionAndIdEach()
    {
        var subject = UniqueSubject();
        await SendAsync(HttpMethod.Put, $"config/{subject}", Body("""{"compatibility":"NONE"}"""));
        var schemas = Enumerable.Range(0, 20)
            .Select(i => $$"""{"type":"record","name":"R","fields":[{"name":"f{{i}}","type":"int"}]}""").ToArray();

        var answers = await Task.WhenAll(schemas.Select(schema => SendAsync(HttpMethod.Post, $"subjects/{subject}/versions", SchemaBody(schema))));
        var versions = await SendAsync(HttpMethod.Get, $"subjects/{subject}/versions");

        Assert.That(answers.Select(a => (int?)a.Body?["id"]), Is.Unique.And.All.Positive);
        Assert.That(versions.Body!.AsArray().Select(v => (int)v!), Is.EqualTo(Enumerable.Range(1, 20)));
    }

    [Test]
    public async Task Requests_AreLoggedAtDebug()
    {
        var subject = UniqueSubject();

        await SendAsync(HttpMethod.Get, $"subjects/{subject}/versions");

        Assert.That(_serverLogs.Entries, Has.Some.Matches<string>(e => e.StartsWith("Debug") && e.Contains($"GET /subjects/{subject}/versions -> 404")));
    }

    [Test]
    public void StartAsync_PortTaken_ThrowsNamingThePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;

        var error = Assert.ThrowsAsync<InvalidOperationException>(() =>
            SchemaRegistryServer.StartAsync(new SchemaRegistryServerOptions { Port = port }, NullLoggerFactory.Instance, CancellationToken.None));

        Assert.That(error.Message, Does.Contain(port.ToString()));
        Assert.That(error.InnerException, Is.Not.Null);
    }
}
