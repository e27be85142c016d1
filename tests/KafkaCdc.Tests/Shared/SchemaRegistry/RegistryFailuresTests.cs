using System.Net;
using System.Net.Sockets;
using Confluent.SchemaRegistry;
using KafkaCdc.Shared.SchemaRegistry;

namespace KafkaCdc.Tests.Shared.SchemaRegistry;

public class RegistryFailuresTests
{
    static IEnumerable<TestCaseData> Failures() =>
        RegistryFailureRows.All().Select(row => new TestCaseData(row.Failure, row.Transient).SetName($"IsTransient_{row.Name}_Is{(row.Transient ? "Transient" : "Permanent")}"));

    [TestCaseSource(nameof(Failures))]
    public void IsTransient_ByAnswer(HttpRequestException failure, bool transient) =>
        Assert.That(RegistryFailures.IsTransient(failure), Is.EqualTo(transient));

    [Test]
    public async Task IsTransient_ConfluentClientAgainstAClosedPort_IsTransient()
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        using var client = new CachedSchemaRegistryClient(new SchemaRegistryConfig { Url = $"http://127.0.0.1:{port}", MaxRetries = 1, RequestTimeoutMs = 2000 });

        var failure = await Task.Run(() => Assert.ThrowsAsync<HttpRequestException>(() => client.GetAllSubjectsAsync()));

        Assert.That(RegistryFailures.IsTransient(failure!), Is.True);
        Assert.That(RegistryFailures.Describe(failure!), Does.Contain($"127.0.0.1:{port}"));
    }

    [Test]
    public void Describe_RegistryAnswer_GivesItsMessageStatusAndErrorCode() =>
        Assert.That(RegistryFailures.Describe(new SchemaRegistryException("Schema being registered is incompatible", HttpStatusCode.Conflict, 409)),
            Is.EqualTo("Schema being registered is incompatible; error code: 409 (HTTP 409)"));

    [Test]
    public void Describe_Unauthorized_NamesTheSettingNotTheSecret()
    {
        var described = RegistryFailures.Describe(new SchemaRegistryException("Unauthorized", HttpStatusCode.Unauthorized, 401));

        Assert.That(described, Does.StartWith("Unauthorized; error code: 401 (HTTP 401)").And.Contain("schema.registry.basic.auth.user.info"));
    }

    [Test]
    public void Describe_UnauthorizedWithoutRegistryBody_NamesTheSetting() =>
        Assert.That(RegistryFailures.Describe(new HttpRequestException("Unauthorized")), Does.Contain("HTTP 401").And.Contain("schema.registry.basic.auth.user.info"));

    [Test]
    public void Describe_NotFoundWithoutRegistryBody_AsksAboutTheUrl() =>
        Assert.That(RegistryFailures.Describe(new SchemaRegistryException("", HttpStatusCode.NotFound, -1)),
            Is.EqualTo("HTTP 404 without a schema registry error body; is schema.registry.url the registry's base URL?"));

    [Test]
    public void Describe_SchemaNotFound_GivesTheRegistrysWordsWithTheId() =>
        Assert.That(RegistryFailures.Describe(new SchemaRegistryException("Schema 12 not found", HttpStatusCode.NotFound, 40403)),
            Is.EqualTo("Schema 12 not found; error code: 40403 (HTTP 404)"));

    [Test]
    public void Describe_TlsFailure_NamesTheTlsSettings() =>
        Assert.That(RegistryFailures.Describe(RegistryFailureRows.All().Single(r => r.Name == "UntrustedCertificate").Failure),
            Does.Contain("schema.registry.ssl.ca.location"));

    [TestCase(HttpStatusCode.Conflict, 409, true)]
    [TestCase(HttpStatusCode.UnprocessableEntity, 42201, true)]
    [TestCase(HttpStatusCode.Unauthorized, 401, false)]
    [TestCase(HttpStatusCode.NotFound, 40401, false)]
    [TestCase(HttpStatusCode.ServiceUnavailable, 50301, false)]
    public void IsSchemaRejection_ByStatus(HttpStatusCode status, int errorCode, bool rejection) =>
        Assert.That(RegistryFailures.IsSchemaRejection(new SchemaRegistryException("m", status, errorCode)), Is.EqualTo(rejection));
}
