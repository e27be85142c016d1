using System.Net;
using System.Net.Sockets;
using KafkaCdc.Shared.SchemaRegistry;
using static KafkaCdc.Tests.Shared.SchemaRegistry.RegistryTestSchemas;

namespace KafkaCdc.Tests.Shared.SchemaRegistry;

public class SchemaRegistryClientRetryTests : SchemaRegistryFixture
{
    /// <summary>A URL whose port refuses connections: a listener took a free port and closed it again.</summary>
    static Uri RefusingUrl()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/");
    }

    [TestCase(FaultInjectingHandler.FaultKind.ServiceUnavailable)]
    [TestCase(FaultInjectingHandler.FaultKind.SocketError)]
    public async Task Register_FirstThreeAttemptsFail_RetriesAndSucceeds(FaultInjectingHandler.FaultKind fault)
    {
        var handler = new FaultInjectingHandler { FailFirst = 3, Fault = fault };
        using var client = CreateClient(o => new SchemaRegistryClientOptions { Urls = o.Urls, MaxRetries = 3, RetryBackoff = TimeSpan.FromMilliseconds(1) }, handler);

        var id = await client.RegisterSchemaAsync(UniqueSubject(), FullForm(Customer), CancellationToken.None);

        Assert.That(id, Is.Positive);
        Assert.That(handler.Count, Is.EqualTo(4), "three failed attempts and the successful one");
    }

    [Test]
    public void Register_AlwaysUnavailable_GivesUpAfterMaxRetriesAsTransient()
    {
        var handler = new FaultInjectingHandler { FailFirst = int.MaxValue };
        using var client = CreateClient(o => new SchemaRegistryClientOptions { Urls = o.Urls, MaxRetries = 2, RetryBackoff = TimeSpan.FromMilliseconds(1) }, handler);
        var subject = UniqueSubject();

        var error = Assert.ThrowsAsync<SchemaRegistryException>(() => client.RegisterSchemaAsync(subject, FullForm(Customer), CancellationToken.None));

        Assert.That(handler.Count, Is.EqualTo(3));
        Assert.That(error.IsTransient, Is.True);
        Assert.That(error.Status, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(error.ErrorCode, Is.EqualTo(50003));
        Assert.That(error.Message, Does.Contain(subject).And.Contain("after 3 attempts").And.Contain("forwarding"));
    }

    [Test]
    public void GetSchema_UnknownId_IsNotRetried()
    {
        var handler = new FaultInjectingHandler();
        using var client = CreateClient(handler: handler);

        var error = Assert.ThrowsAsync<SchemaRegistryException>(() => client.GetSchemaAsync(876543, CancellationToken.None));

        Assert.That(error.ErrorCode, Is.EqualTo(40403));
        Assert.That(handler.Count, Is.EqualTo(1));
    }

    [Test]
    public async Task Register_FirstAttemptTimesOut_RetriesAndSucceeds()
    {
        var handler = new FaultInjectingHandler { FailFirst = 1, Fault = FaultInjectingHandler.FaultKind.Hang };
        using var client = CreateClient(o => new SchemaRegistryClientOptions
        {
            Urls = o.Urls, RequestTimeout = TimeSpan.FromMilliseconds(300), RetryBackoff = TimeSpan.FromMilliseconds(1),
        }, handler);

        var id = await client.RegisterSchemaAsync(UniqueSubject(), FullForm(Customer), CancellationToken.None);

        Assert.That(id, Is.Positive);
        Assert.That(handler.Count, Is.EqualTo(2));
    }

    [Test]
    public async Task Register_FirstUrlRefusesConnections_FailsOverToTheNext()
    {
        var refusing = RefusingUrl();
        var handler = new FaultInjectingHandler();
        using var client = CreateClient(o => new SchemaRegistryClientOptions
        {
            Urls = [refusing, RegistryUrl], MaxRetries = 0, RetryBackoff = TimeSpan.FromMilliseconds(1),
        }, handler);

        var id = await client.RegisterSchemaAsync(UniqueSubject(), FullForm(Customer), CancellationToken.None);
        await client.GetSubjectsAsync(CancellationToken.None);

        var requests = handler.Requests.ToArray();
        Assert.That(id, Is.Positive);
        Assert.That(requests, Has.Length.EqualTo(3));
        Assert.That(requests[0], Does.Contain(refusing.Authority), "first attempt on the first URL");
        Assert.That(requests[1], Does.Contain(RegistryUrl.Authority), "failed over at once, without counting a retry");
        Assert.That(requests[2], Does.Contain(RegistryUrl.Authority), "stays on the URL that answered");
    }

    [Test]
    public void Register_NoUrlAnswers_ThrowsTransientNamingTheUrlKey()
    {
        using var client = CreateClient(o => new SchemaRegistryClientOptions
        {
            Urls = [RefusingUrl(), RefusingUrl()], MaxRetries = 1, RetryBackoff = TimeSpan.FromMilliseconds(1),
        });
        var subject = UniqueSubject();

        var error = Assert.ThrowsAsync<SchemaRegistryException>(() => client.RegisterSchemaAsync(subject, FullForm(Customer), CancellationToken.None));

        Assert.That(error.IsTransient, Is.True);
        Assert.That(error.Status, Is.Null);
        Assert.That(error.InnerException, Is.InstanceOf<HttpRequestException>());
        Assert.That(error.Message, Does.Contain(subject).And.Contain("after 4 attempts").And.Contain(SchemaRegistryClientOptions.UrlKey));
    }

    [Test]
    public void Register_CallerCancels_ThrowsOperationCanceled()
    {
        var handler = new FaultInjectingHandler { FailFirst = int.MaxValue, Fault = FaultInjectingHandler.FaultKind.Hang };
        using var client = CreateClient(handler: handler);
        using var cancellation = new CancellationTokenSource();

        var registering = client.RegisterSchemaAsync(UniqueSubject(), FullForm(Customer), cancellation.Token);
        cancellation.Cancel();

        Assert.That(async () => await registering, Throws.InstanceOf<OperationCanceledException>());
    }

    [TestCase(null, true)]
    [TestCase(HttpStatusCode.InternalServerError, true)]
    [TestCase(HttpStatusCode.BadGateway, true)]
    [TestCase(HttpStatusCode.ServiceUnavailable, true)]
    [TestCase(HttpStatusCode.GatewayTimeout, true)]
    [TestCase(HttpStatusCode.RequestTimeout, true)]
    [TestCase(HttpStatusCode.TooManyRequests, true)]
    [TestCase(HttpStatusCode.BadRequest, false)]
    [TestCase(HttpStatusCode.Unauthorized, false)]
    [TestCase(HttpStatusCode.Forbidden, false)]
    [TestCase(HttpStatusCode.NotFound, false)]
    [TestCase(HttpStatusCode.Conflict, false)]
    [TestCase(HttpStatusCode.UnprocessableEntity, false)]
    [TestCase(HttpStatusCode.OK, false)]
    public void IsTransientStatus_DecidesRetries(HttpStatusCode? status, bool transient) =>
        Assert.That(SchemaRegistryException.IsTransientStatus(status), Is.EqualTo(transient));

    [TestCase(1, 100, 200)]
    [TestCase(2, 200, 400)]
    [TestCase(3, 400, 800)]
    [TestCase(10, 500, 1000)]
    [TestCase(100, 500, 1000)]
    public void Backoff_DoublesWithJitterUpToTheCap(int retry, double minMs, double maxMs)
    {
        var backoff = new RetryBackoff(TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(1000));

        var delays = Enumerable.Range(0, 50).Select(_ => backoff.Before(retry).TotalMilliseconds).ToArray();

        Assert.That(delays, Is.All.InRange(minMs, maxMs));
    }
}
