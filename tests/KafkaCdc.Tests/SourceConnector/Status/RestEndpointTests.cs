using System.Net;
using System.Text.Json;
using KafkaCdc.DevStack;
using KafkaCdc.Tests.Shared.Metrics;

namespace KafkaCdc.Tests.SourceConnector.Status;

/// <summary><c>/health</c>, <c>/status</c> and <c>/metrics</c> of a streaming connector, over HTTP.</summary>
public class RestEndpointTests
{
    [Test]
    public async Task Rest_StreamingConnector_ReportsHealthStatusAndMetrics()
    {
        await using var database = await SourceTestDatabase.CreateAsync("rest", "CREATE TABLE t (id integer PRIMARY KEY)");
        var port = LocalPorts.Free();
        var config = database.Config();
        config["rest.port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await using var connector = await InProcessConnector.StartStreamingAsync(config);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };

        await database.ExecuteAsync("INSERT INTO t VALUES (1), (2); DELETE FROM t WHERE id = 2");
        await Poll.UntilAsync(async () =>
        {
            using var status = JsonDocument.Parse(await http.GetStringAsync("status"));
            return status.RootElement.GetProperty("tables").TryGetProperty("public.t", out var t) && t.GetProperty("d").GetInt32() == 1
                   && status.RootElement.GetProperty("records_in_flight").GetInt64() == 0;
        }, TimeSpan.FromSeconds(30), "/status to count the changes");

        var health = await http.GetAsync("health");
        Assert.That(health.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await health.Content.ReadAsStringAsync(), Does.Contain("\"streaming\""));
        using (var status = JsonDocument.Parse(await http.GetStringAsync("status")))
        {
            var root = status.RootElement;
            Assert.That(root.GetProperty("state").GetString(), Is.EqualTo("streaming"));
            Assert.That(root.GetProperty("current_lsn").GetString(), Does.Match("^[0-9A-F]+/[0-9A-F]+$"));
            Assert.That(root.GetProperty("tables").GetProperty("public.t").GetProperty("c").GetInt32(), Is.EqualTo(2));
            Assert.That(root.TryGetProperty("lag_bytes", out _) && root.TryGetProperty("events_per_second", out _) && root.TryGetProperty("snapshot", out _), Is.True);
        }
        await Poll.UntilAsync(async () => PrometheusText.Value(await http.GetStringAsync("metrics"), "kafkacdc_source_events_total", ("table", "public.t"), ("op", "c")) == 2,
            TimeSpan.FromSeconds(10), "/metrics to count the inserts");
        var metrics = await http.GetStringAsync("metrics");
        Assert.Multiple(() =>
        {
            Assert.That(PrometheusText.Value(metrics, "kafkacdc_source_events_total", ("table", "public.t"), ("op", "d")), Is.EqualTo(1), metrics);
            Assert.That(PrometheusText.Type(metrics, "kafkacdc_source_events_total"), Is.EqualTo("counter"));
            Assert.That(PrometheusText.Value(metrics, "kafkacdc_source_produce_errors_total"), Is.EqualTo(0));
            Assert.That(PrometheusText.Value(metrics, "kafkacdc_source_heartbeats_total"), Is.Not.Null);
            Assert.That(PrometheusText.Type(metrics, "kafkacdc_source_lag_bytes"), Is.EqualTo("gauge"));
            Assert.That(PrometheusText.Value(metrics, "kafkacdc_source_confirmed_lsn"), Is.Positive);
        });
    }

}
