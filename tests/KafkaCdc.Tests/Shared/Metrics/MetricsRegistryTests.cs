using KafkaCdc.Shared.Metrics;

namespace KafkaCdc.Tests.Shared.Metrics;

public class MetricsRegistryTests
{
    [Test]
    public void Render_CountersAndGauges_InPrometheusTextFormat()
    {
        var metrics = new MetricsRegistry();
        var events = metrics.Counter("kafkacdc_events_total", "Change events by table and op.", "table", "op");
        events.Inc("public.orders", "c");
        events.Inc(2, "public.orders", "c");
        events.Inc("public.\"odd\"\ntable", "d");
        metrics.Gauge("kafkacdc_lag_bytes", "Replication lag.").Set(1536);
        metrics.GaugeFunc("kafkacdc_queue_depth", "Records waiting.", () => 7);

        var text = metrics.Render();

        Assert.That(text, Is.EqualTo(
            "# HELP kafkacdc_events_total Change events by table and op.\n" +
            "# TYPE kafkacdc_events_total counter\n" +
            "kafkacdc_events_total{table=\"public.\\\"odd\\\"\\ntable\",op=\"d\"} 1\n" +
            "kafkacdc_events_total{table=\"public.orders\",op=\"c\"} 3\n" +
            "# HELP kafkacdc_lag_bytes Replication lag.\n" +
            "# TYPE kafkacdc_lag_bytes gauge\n" +
            "kafkacdc_lag_bytes 1536\n" +
            "# HELP kafkacdc_queue_depth Records waiting.\n" +
            "# TYPE kafkacdc_queue_depth gauge\n" +
            "kafkacdc_queue_depth 7\n"));
    }

    [Test]
    public void Counter_ConcurrentIncrements_AreAllCounted()
    {
        var counter = new MetricsRegistry().Counter("c_total", "c");

        Parallel.For(0, 10_000, _ => counter.Inc());

        Assert.That(counter.Value(), Is.EqualTo(10_000));
    }

    [Test]
    public void Counter_WrongNumberOfLabels_Throws()
    {
        var counter = new MetricsRegistry().Counter("c_total", "c", "table");

        Assert.That(() => counter.Inc(), Throws.ArgumentException.With.Message.Contains("takes 1 label values (table)"));
    }
}
