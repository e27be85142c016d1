using System.Globalization;

namespace KafkaCdc.Bench.Pipeline;

/// <summary>
/// The markdown table of every run: each pipeline run beside its workload's baseline (native logical replication, or
/// the COPY pipe for the initial load), the ratio, and the targets of issue 14 with whether they are met.
/// </summary>
internal static class ResultTable
{
    const double RssTargetMb = 300;
    static readonly TimeSpan s_p99Target = TimeSpan.FromSeconds(1);

    public static void Print(IReadOnlyList<PipelineResult> results, TextWriter output)
    {
        output.WriteLine("| workload | path | changes | s: first commit → final state | changes/s | × baseline | target | met | s: writing / after last commit | " +
                         "latency p50 / p99 / max | peak RSS: source / sink | CPU s per 100k changes: source / sink / PostgreSQL / bench process |");
        output.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var r in results)
        {
            var baseline = results.FirstOrDefault(b => b.Baseline && b.Workload == r.Workload);
            var latency = r.Latency is not null || baseline?.Latency is not null;
            var (ratio, target, met) = r.Baseline ? ("baseline", "", "") : Judge(r, baseline, latency);
            if (!r.Baseline && r.Usage.SourceRssMb is not null && r.Failure is null)
                met += (met.Length > 0 ? "; " : "") + (r.Usage.SourceRssMb < RssTargetMb && r.Usage.SinkRssMb < RssTargetMb ? "RSS < 300 MB" : "**RSS ≥ 300 MB**");
            var seconds = r.Elapsed is { } e ? Format(e.TotalSeconds, "0.00") : "failed: " + Cell(r.Failure!.ReplaceLineEndings(" "));
            var writing = r.Writing is { } w ? $"{Format(w.TotalSeconds, "0.00")} / {Format(r.AfterLastCommit!.Value.TotalSeconds, "0.00")}" : "";
            var lat = r.Latency is { } l ? $"{Ms(l.P50)} / {Ms(l.P99)} / {Ms(l.Max)}" : "";
            var rss = r.Usage.SourceRssMb is null ? "" : $"{r.Usage.SourceRssMb:0} / {r.Usage.SinkRssMb:0} MB";
            var cpu = r.Usage.PostgresCpuSeconds is null ? ""
                : string.Join(" / ", new[] { r.Usage.SourceCpuSeconds, r.Usage.SinkCpuSeconds, r.Usage.PostgresCpuSeconds, r.Usage.BenchCpuSeconds }.Select(c => c is { } s ? Format(s * 100_000 / r.Changes, "0.00") : "–"));
            output.WriteLine($"| {r.Workload}: {Cell(r.Description)} | {Cell(r.Path)} | {r.Changes:N0} | {seconds} | {(r.PerSecond is { } rate ? Format(rate, "N0") : "")} | {ratio} | " +
                             $"{target} | {met} | {writing} | {lat} | {rss} | {cpu} |");
        }
    }

    /// <summary>The ratio to the baseline, the target and whether it is met.</summary>
    static (string Ratio, string Target, string Met) Judge(PipelineResult r, PipelineResult? baseline, bool latency)
    {
        if (latency)
        {
            var p99Ratio = r.Latency is { } l && baseline?.Latency is { } b && b.P99 > TimeSpan.Zero ? $"{Format(l.P99 / b.P99, "0.0")}× (p99)" : "";
            return (p99Ratio, "p99 < 1 s", r.Latency is { } m ? YesNo(m.P99 < s_p99Target) : "");
        }
        var minimum = r.Workload == "load" ? 0.5 : 1.0;
        var target = $"≥ {Format(minimum, "0.0")}× {(r.Workload == "load" ? "COPY" : "native")}";
        if (r.PerSecond is not { } rate || baseline?.PerSecond is not { } baseRate) return ("", target, "");
        return ($"{Format(rate / baseRate, "0.00")}×", target, YesNo(rate / baseRate >= minimum));
    }

    /// <summary>Text for a cell: a bar would end it.</summary>
    static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal);

    static string YesNo(bool met) => met ? "yes" : "**no**";

    static string Ms(TimeSpan time) => $"{Format(time.TotalMilliseconds, "N0")} ms";

    static string Format(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
}
