using System.Net;
using System.Text;
using System.Text.Json;

namespace KafkaCdc.Tests.DevStack;

/// <summary>The dev stack's fault-injection endpoint refuses bad requests with 400 and a message saying what is wrong.</summary>
public class AdminEndpointTests
{
    [TestCase("POST", "brokers/9/down", null, "broker 9 does not exist; broker ids are 1 to 3")]
    [TestCase("POST", "brokers/one/up", null, "broker id must be a number, not 'one'")]
    [TestCase("PUT", "brokers/1/rtt", """{"rttMs": -5}""", "rttMs must be 0 or more, not -5")]
    [TestCase("PUT", "brokers/1/rtt", """{"rtt": 5}""", "'rtt' could not be mapped")]
    [TestCase("POST", "request-errors", """{"apiKey": "Prodce", "errors": [6]}""", "Path: $.apiKey")]
    [TestCase("POST", "request-errors", """{"apiKey": "Produce", "errors": ["NoSuchError"]}""", "Path: $.errors[0]")]
    [TestCase("POST", "request-errors", """{"apiKey": "Produce", "errors": []}""", "errors must list at least one error code")]
    [TestCase("POST", "request-errors", """{"apiKey": "Produce"}""", "missing required properties including: 'errors'")]
    [TestCase("DELETE", "request-errors/Prodce", null, "unknown API key 'Prodce'")]
    [TestCase("POST", "topics", """{"name": "t", "partitions": 0}""", "partitions ('0') must be greater than or equal to '1'")]
    [TestCase("POST", "topics", """{"partitions": 2}""", "missing required properties including: 'name'")]
    [TestCase("POST", "topics", "{not json", "invalid JSON body")]
    [TestCase("POST", "topics", "null", "a JSON object body is required")]
    [TestCase("PUT", "topics/t/partitions/x/leader", """{"brokerId": 1}""", "partition must be a number, not 'x'")]
    public async Task BadRequest_Refused400WithMessage(string method, string path, string? body, string expectedMessage)
    {
        var admin = TestEnvironment.RequireDevStackAdmin();
        using var http = new HttpClient { BaseAddress = admin.BaseUrl };
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");

        using var response = await http.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.That(json.RootElement.GetProperty("error").GetString(), Does.Contain(expectedMessage));
    }

    [Test]
    public async Task CreateTopic_Existing_Refused409()
    {
        var admin = TestEnvironment.RequireDevStackAdmin();
        var topic = TestEnvironment.UniqueName("admin_twice");
        await admin.CreateTopicAsync(topic, 2);

        var exception = Assert.ThrowsAsync<KafkaCdc.DevStack.Admin.DevStackAdminException>(() => admin.CreateTopicAsync(topic, 2));

        Assert.That(exception!.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(exception.Message, Does.Contain("Topic already exists"));
    }

    [Test]
    public async Task BrokerDownAndUp_ReflectedInBrokerList()
    {
        var admin = TestEnvironment.RequireDevStackAdmin();
        try
        {
            var down = await admin.SetBrokerDownAsync(2);
            var rtt = await admin.SetBrokerRttAsync(3, TimeSpan.FromMilliseconds(20));

            Assert.That(down.IsUp, Is.False);
            Assert.That(rtt.RttMilliseconds, Is.EqualTo(20));
            Assert.That((await admin.GetBrokersAsync()).Select(b => (b.Id, b.IsUp)), Is.EqualTo(new[] { (1, true), (2, false), (3, true) }));
        }
        finally
        {
            await admin.ResetAsync();
        }
        Assert.That(await admin.GetBrokersAsync(), Has.All.Property("IsUp").True.And.All.Property("RttMilliseconds").Zero);
    }
}
