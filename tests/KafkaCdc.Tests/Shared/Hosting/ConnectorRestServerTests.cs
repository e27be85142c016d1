using System.Net;
using KafkaCdc.DevStack;
using KafkaCdc.Shared.Hosting;
using KafkaCdc.Shared.Metrics;
using KafkaCdc.Tests.Shared.Metrics;
using Microsoft.Extensions.Logging.Abstractions;

namespace KafkaCdc.Tests.Shared.Hosting;

public class ConnectorRestServerTests
{
    sealed record Status(string State, long ConfirmedLsn);

    [Test]
    public async Task Endpoints_AnswerHealthStatusAndMetrics()
    {
        var healthy = true;
        using var meter = new ConnectorMeter("test", TestEnvironment.UniqueName("rest"));
        var counter = meter.Meter.CreateCounter<long>("kafkacdc_test_total", description: "t");
        meter.Meter.CreateObservableGauge("kafkacdc_test_level", () => 7.5, description: "a level");
        counter.Add(1, new KeyValuePair<string, object?>("table", "public.\"t\""));
        await using var server = await ConnectorRestServer.StartAsync(LocalPorts.Free(),
            () => new HealthReport(healthy, healthy ? "streaming" : "failed", healthy ? null : "boom"),
            () => new Status("streaming", 42), meter, NullLoggerFactory.Instance, CancellationToken.None);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server!.Port}") };

        counter.Add(2, new KeyValuePair<string, object?>("table", "public.\"t\""));
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
            Assert.That(PrometheusText.Type(text, "kafkacdc_test_total"), Is.EqualTo("counter"), text);
            Assert.That(PrometheusText.Value(text, "kafkacdc_test_total", ("table", "public.\"t\"")), Is.EqualTo(3), "counted before and after the server started");
            Assert.That(PrometheusText.Type(text, "kafkacdc_test_level"), Is.EqualTo("gauge"), text);
            Assert.That(PrometheusText.Value(text, "kafkacdc_test_level"), Is.EqualTo(7.5), text);
            Assert.That(down.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(await down.Content.ReadAsStringAsync(), Does.Contain("\"error\": \"boom\""));
        });
    }

    [Test]
    public async Task TwoConnectorsInOneProcess_EachExportsOnlyItsOwnInstruments()
    {
        using var first = new ConnectorMeter("test", TestEnvironment.UniqueName("first"));
        using var second = new ConnectorMeter("test", TestEnvironment.UniqueName("second"));
        first.Meter.CreateCounter<long>("kafkacdc_test_events_total").Add(5);
        second.Meter.CreateCounter<long>("kafkacdc_test_events_total").Add(11);
        await using var firstServer = await ConnectorRestServer.StartAsync(LocalPorts.Free(), () => new HealthReport(true, "x"), () => new object(),
            first, NullLoggerFactory.Instance, CancellationToken.None);
        await using var secondServer = await ConnectorRestServer.StartAsync(LocalPorts.Free(), () => new HealthReport(true, "x"), () => new object(),
            second, NullLoggerFactory.Instance, CancellationToken.None);
        using var http = new HttpClient();

        var firstText = await http.GetStringAsync($"http://127.0.0.1:{firstServer!.Port}/metrics");
        var secondText = await http.GetStringAsync($"http://127.0.0.1:{secondServer!.Port}/metrics");

        Assert.That(PrometheusText.Value(firstText, "kafkacdc_test_events_total"), Is.EqualTo(5), firstText);
        Assert.That(PrometheusText.Value(secondText, "kafkacdc_test_events_total"), Is.EqualTo(11), secondText);
        Assert.That(firstText, Does.Not.Contain(second.Name));
    }

    [Test]
    public async Task PortZero_DisablesTheEndpoint()
    {
        using var meter = new ConnectorMeter("test", TestEnvironment.UniqueName("off"));
        var server = await ConnectorRestServer.StartAsync(0, () => new HealthReport(true, "x"), () => new object(),
            meter, NullLoggerFactory.Instance, CancellationToken.None);

        Assert.That(server, Is.Null);
    }
}
