using System.Net;
using KafkaCdc.DevStack;
using KafkaCdc.Shared.Hosting;
using KafkaCdc.Shared.Metrics;
using Microsoft.Extensions.Logging.Abstractions;

namespace KafkaCdc.Tests.Shared.Hosting;

public class ConnectorRestServerTests
{
    sealed record Status(string State, long ConfirmedLsn);


    [Test]
    public async Task Endpoints_AnswerHealthStatusAndMetrics()
    {
        var healthy = true;
        var metrics = new MetricsRegistry();
        metrics.Counter("kafkacdc_test_total", "t").Inc();
        await using var server = await ConnectorRestServer.StartAsync(LocalPorts.Free(),
            () => new HealthReport(healthy, healthy ? "streaming" : "failed", healthy ? null : "boom"),
            () => new Status("streaming", 42), metrics, NullLoggerFactory.Instance, CancellationToken.None);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server!.Port}") };

        var up = await http.GetAsync("/health");
        var status = await http.GetStringAsync("/status");
        var text = await http.GetStringAsync("/metrics");
        healthy = false;
        var down = await http.GetAsync("/health");

        Assert.Multiple(async () =>
        {
            Assert.That(up.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(await up.Content.ReadAsStringAsync(), Does.Contain("\"status\": \"UP\""));
            Assert.That(status, Does.Contain("\"confirmed_lsn\": 42"));
            Assert.That(text, Does.Contain("kafkacdc_test_total 1"));
            Assert.That(down.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(await down.Content.ReadAsStringAsync(), Does.Contain("\"error\": \"boom\""));
        });
    }

    [Test]
    public async Task PortZero_DisablesTheEndpoint()
    {
        var server = await ConnectorRestServer.StartAsync(0, () => new HealthReport(true, "x"), () => new object(),
            new MetricsRegistry(), NullLoggerFactory.Instance, CancellationToken.None);

        Assert.That(server, Is.Null);
    }
}
