namespace KafkaCdc.Shared.Metrics;

/// <summary>A value that goes up and down (Prometheus <c>gauge</c>).</summary>
public sealed class Gauge : Metric
{
    internal Gauge(string name, string help, string[] labelNames) : base(name, help, "gauge", labelNames) { }

    /// <summary>Sets the sample for <paramref name="labelValues"/>.</summary>
    public void Set(double value, params string[] labelValues) => SampleFor(labelValues).Set(value);

    /// <summary>Adds <paramref name="delta"/> (may be negative).</summary>
    public void Add(double delta, params string[] labelValues) => SampleFor(labelValues).Add(delta);

    /// <summary>The current value for <paramref name="labelValues"/>.</summary>
    public double Value(params string[] labelValues) => SampleFor(labelValues).Value;
}
