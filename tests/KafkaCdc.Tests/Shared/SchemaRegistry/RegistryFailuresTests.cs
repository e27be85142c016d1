using System.Net;
using System.Net.Sockets;
using Confluent.SchemaRegistry;
using KafkaCdc.Shared.SchemaRegistry;

namespace KafkaCdc.Tests.Shared.SchemaRegistry;

public class RegistryFailuresTests
{
    static IEnumerable<TestCaseData> Failures()
    {
        TestCaseData Row(HttpRequestException failure, bool transient, string name) => new TestCaseData(failure, transient).SetName(name);

        yield return Row(new HttpRequestException("[http://r:8081/] HttpRequestException: Connection refused"), true, "Unreachable");
        yield return Row(new HttpRequestException("[http://r:8081/] ServiceUnavailable"), true, "KeptAnswering5xx");
        yield return Row(new SchemaRegistryException("busy", HttpStatusCode.ServiceUnavailable, 50301), true, "Registry503");
        yield return Row(new SchemaRegistryException("slow", HttpStatusCode.RequestTimeout, 408), true, "Registry408");
        yield return Row(new SchemaRegistryException("rate", HttpStatusCode.TooManyRequests, 429), true, "Registry429");
        yield return Row(new SchemaRegistryException("incompatible", HttpStatusCode.Conflict, 409), false, "Incompatible409");
        yield return Row(new SchemaRegistryException("invalid", HttpStatusCode.UnprocessableEntity, 42201), false, "InvalidSchema42201");
        yield return Row(new SchemaRegistryException("no subject", HttpStatusCode.NotFound, 40401), false, "SubjectNotFound40401");
        yield return Row(new SchemaRegistryException("no schema", HttpStatusCode.NotFound, 40403), false, "SchemaNotFound40403");
        yield return Row(new SchemaRegistryException("who", HttpStatusCode.Unauthorized, 401), false, "Unauthorized401");
        yield return Row(new SchemaRegistryException("no", HttpStatusCode.Forbidden, 40301), false, "Forbidden403");
        yield return Row(new HttpRequestException("Unauthorized"), false, "UnauthorizedWithoutJsonBody");
    }

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
}
