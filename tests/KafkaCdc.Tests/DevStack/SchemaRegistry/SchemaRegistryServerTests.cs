using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using KafkaCdc.DevStack.SchemaRegistry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using static KafkaCdc.Tests.DevStack.SchemaRegistry.RegistryTestSchemas;

namespace KafkaCdc.Tests.DevStack.SchemaRegistry;

/// <summary>
/// The dev registry's own server: its logging, its start-up, and where it knowingly answers otherwise than Confluent
/// (Avro only, no references, a config body must set a level). Dev-only: a server of its own, skipped against an
/// external registry.
/// </summary>
public class SchemaRegistryServerTests : SchemaRegistryFixture
{
    readonly CapturingLoggerFactory _serverLogs = new();

    protected override ILoggerFactory ServerLoggerFactory => _serverLogs;

    protected override bool NeedsInProcessServer => true;

    [Test]
    public async Task Register_ProtobufSchemaType_Answers42201SayingOnlyAvro()
    {
        var body = Body(new JsonObject { ["schema"] = "syntax = \"proto3\";", ["schemaType"] = "PROTOBUF" }.ToJsonString());

        var answer = await SendAsync(HttpMethod.Post, $"subjects/{UniqueSubject()}/versions", body);

        AssertError(answer, HttpStatusCode.UnprocessableEntity, 42201, "only AVRO");
    }

    [Test]
    public async Task Register_WithReferences_Answers42201()
    {
        var body = Body(new JsonObject
        {
            ["schema"] = Customer,
            ["references"] = new JsonArray(new JsonObject { ["name"] = "shop.Address", ["subject"] = "address", ["version"] = 1 }),
        }.ToJsonString());

        var answer = await SendAsync(HttpMethod.Post, $"subjects/{UniqueSubject()}/versions", body);

        AssertError(answer, HttpStatusCode.UnprocessableEntity, 42201, "references are not supported");
    }

    [Test]
    public async Task PutConfig_WithoutCompatibility_Answers42203()
    {
        // Confluent accepts it (a config also carries other settings) and leaves the level as it was.
        var answer = await SendAsync(HttpMethod.Put, $"config/{UniqueSubject()}", Body("""{"level":"FULL"}"""));

        AssertError(answer, HttpStatusCode.UnprocessableEntity, 42203, "Invalid compatibility level");
    }

    [Test]
    public async Task GetSchemaById_NotANumber_AnswersPlain404()
    {
        var answer = await SendAsync(HttpMethod.Get, "schemas/ids/abc");

        AssertError(answer, HttpStatusCode.NotFound, 404, "HTTP 404 Not Found");
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
