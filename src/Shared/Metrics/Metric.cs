using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace KafkaCdc.Shared.Metrics;

/// <summary>A named metric with HELP and TYPE lines and one sample per label-value combination.</summary>
public abstract class Metric
{
    private protected Metric(string name, string help, string type, string[] labelNames)
    {
        Name = name;
        Help = help;
        Type = type;
        LabelNames = labelNames;
    }

    /// <summary>The metric name, e.g. <c>kafkacdc_source_events_total</c>.</summary>
    public string Name { get; }

    /// <summary>The HELP text.</summary>
    public string Help { get; }

    private protected string Type { get; }

    private protected string[] LabelNames { get; }

    private protected ConcurrentDictionary<string, Sample> Samples { get; } = new(StringComparer.Ordinal);

    private protected Sample SampleFor(string[] labelValues)
    {
        if (labelValues.Length != LabelNames.Length)
            throw new ArgumentException($"metric {Name} takes {LabelNames.Length} label values ({string.Join(", ", LabelNames)}), got {labelValues.Length}");
        var key = labelValues.Length == 0 ? "" : string.Join('\u0001', labelValues);
        return Samples.GetOrAdd(key, _ => new Sample(labelValues));
    }

    internal virtual void Render(StringBuilder output)
    {
        output.Append("# HELP ").Append(Name).Append(' ').Append(Help.Replace("\\", "\\\\").Replace("\n", "\\n")).Append('\n');
        output.Append("# TYPE ").Append(Name).Append(' ').Append(Type).Append('\n');
        foreach (var sample in Samples.Values.OrderBy(s => string.Join('\u0001', s.LabelValues), StringComparer.Ordinal))
            RenderSample(output, sample.LabelValues, sample.Value);
    }

    private protected void RenderSample(StringBuilder output, string[] labelValues, double value)
    {
        output.Append(Name);
        if (labelValues.Length > 0)
        {
            output.Append('{');
            for (var i = 0; i < labelValues.Length; i++)
            {
                if (i > 0) output.Append(',');
                output.Append(LabelNames[i]).Append("=\"")
                    .Append(labelValues[i].Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n"))
                    .Append('"');
            }
            output.Append('}');
        }
        output.Append(' ').Append(Format(value)).Append('\n');
    }

    static string Format(double value) =>
        double.IsPositiveInfinity(value) ? "+Inf"
        : double.IsNegativeInfinity(value) ? "-Inf"
        : double.IsNaN(value) ? "NaN"
        : value.ToString("R", CultureInfo.InvariantCulture);

    private protected sealed class Sample(string[] labelValues)
    {
        long _bits;

        public string[] LabelValues { get; } = labelValues;

        public double Value => BitConverter.Int64BitsToDouble(Interlocked.Read(ref _bits));

        public void Set(double value) => Interlocked.Exchange(ref _bits, BitConverter.DoubleToInt64Bits(value));

        public void Add(double delta)
        {
            long seen, updated;
            do
            {
                seen = Interlocked.Read(ref _bits);
                updated = BitConverter.DoubleToInt64Bits(BitConverter.Int64BitsToDouble(seen) + delta);
            }
            while (Interlocked.CompareExchange(ref _bits, updated, seen) != seen);
        }
    }
}
