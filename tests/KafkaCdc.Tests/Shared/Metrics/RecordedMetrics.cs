using System.Diagnostics.Metrics;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace KafkaCdc.Tests.Shared.Metrics;

/// <summary>
/// Everything a connector's counters record while this lives (Microsoft's <see cref="MetricCollector{T}"/> on the
/// connector's own <see cref="Meter"/>): create it before the connector works, then read the totals by instrument and tags.
/// </summary>
internal sealed class RecordedMetrics : IDisposable
{
    readonly Meter _meter;
    readonly Dictionary<string, MetricCollector<long>> _longs = new(StringComparer.Ordinal);
    readonly Dictionary<string, MetricCollector<double>> _doubles = new(StringComparer.Ordinal);

    /// <summary>Starts recording every instrument of <paramref name="meter"/> named in <paramref name="counters"/>.</summary>
    public RecordedMetrics(Meter meter, IEnumerable<string> counters, IEnumerable<string>? doubleCounters = null)
    {
        _meter = meter;
        foreach (var name in counters) _longs[name] = new MetricCollector<long>(meter, name);
        foreach (var name in doubleCounters ?? []) _doubles[name] = new MetricCollector<double>(meter, name);
    }

    /// <summary>The sum of what counter <paramref name="instrument"/> recorded with (at least) <paramref name="tags"/>.</summary>
    public double Total(string instrument, params (string Key, string Value)[] tags)
    {
        bool Matches(IReadOnlyDictionary<string, object?> recorded) => tags.All(t => recorded.TryGetValue(t.Key, out var v) && Equals(v, t.Value));
        if (_longs.TryGetValue(instrument, out var longs)) return longs.GetMeasurementSnapshot().Where(m => Matches(m.Tags)).Sum(m => m.Value);
        if (_doubles.TryGetValue(instrument, out var doubles)) return doubles.GetMeasurementSnapshot().Where(m => Matches(m.Tags)).Sum(m => m.Value);
        throw new ArgumentException($"{instrument} of meter {_meter.Name} is not recorded", nameof(instrument));
    }

    public void Dispose()
    {
        foreach (var collector in _longs.Values) collector.Dispose();
        foreach (var collector in _doubles.Values) collector.Dispose();
    }
}
