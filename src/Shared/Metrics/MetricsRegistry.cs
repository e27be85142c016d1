using System.Collections.Concurrent;
using System.Text;

namespace KafkaCdc.Shared.Metrics;

/// <summary>
/// The metrics of one connector process, written in the Prometheus text exposition format (version 0.0.4)
/// for <c>GET /metrics</c>. Metric and label names are fixed at registration; recording is lock-free.
/// </summary>
public sealed class MetricsRegistry
{
    readonly ConcurrentDictionary<string, Metric> _metrics = new(StringComparer.Ordinal);

    /// <summary>Registers (or returns the already registered) counter <paramref name="name"/>.</summary>
    public Counter Counter(string name, string help, params string[] labelNames) =>
        (Counter)_metrics.GetOrAdd(name, _ => new Counter(name, help, labelNames));

    /// <summary>Registers (or returns the already registered) gauge <paramref name="name"/>.</summary>
    public Gauge Gauge(string name, string help, params string[] labelNames) =>
        (Gauge)_metrics.GetOrAdd(name, _ => new Gauge(name, help, labelNames));

    /// <summary>Registers a gauge whose value is read from <paramref name="read"/> at each scrape.</summary>
    public void GaugeFunc(string name, string help, Func<double> read) =>
        _metrics.GetOrAdd(name, _ => new CallbackGauge(name, help, read));

    /// <summary>Writes every metric in the Prometheus text format, metrics sorted by name.</summary>
    public string Render()
    {
        var builder = new StringBuilder();
        foreach (var metric in _metrics.Values.OrderBy(m => m.Name, StringComparer.Ordinal))
            metric.Render(builder);
        return builder.ToString();
    }
}
