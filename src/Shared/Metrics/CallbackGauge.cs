using System.Text;

namespace KafkaCdc.Shared.Metrics;

/// <summary>A gauge read from a callback at each scrape (lag, queue depth).</summary>
sealed class CallbackGauge(string name, string help, Func<double> read) : Metric(name, help, "gauge", [])
{
    internal override void Render(StringBuilder output)
    {
        output.Append("# HELP ").Append(Name).Append(' ').Append(Help).Append('\n');
        output.Append("# TYPE ").Append(Name).Append(" gauge\n");
        RenderSample(output, [], read());
    }
}
