namespace KafkaCdc.Shared.Metrics;

/// <summary>A monotonically increasing count (Prometheus <c>counter</c>).</summary>
public sealed class Counter : Metric
{
    internal Counter(string name, string help, string[] labelNames) : base(name, help, "counter", labelNames) { }

    /// <summary>Adds <paramref name="by"/> (non-negative) to the sample for <paramref name="labelValues"/>.</summary>
    public void Inc(double by, params string[] labelValues)
    {
        if (by < 0) throw new ArgumentOutOfRangeException(nameof(by), "a counter only goes up");
        SampleFor(labelValues).Add(by);
    }

    /// <summary>Adds one.</summary>
    public void Inc(params string[] labelValues) => Inc(1, labelValues);

    /// <summary>The current value for <paramref name="labelValues"/>.</summary>
    public double Value(params string[] labelValues) => SampleFor(labelValues).Value;
}
