using System.Globalization;

namespace KafkaCdc.Bench.Snapshot;

/// <summary>The markdown table of every run, each rate beside its target from issue 11, and the memory target.</summary>
internal static class ResultTable
{
    const double IntoKafkaTarget = 100_000;
    const double RssTargetMb = 300;

    public static void Print(IReadOnlyList<RunResult> results, TextWriter output)
    {
        var copy = results.FirstOrDefault(r => r.Run == "copy")?.RowsPerSecond;
        // Incremental is held against the initial snapshot with the connector's default thread count when measured.
        var initial = results.FirstOrDefault(r => r.Run == "initial-t2")?.RowsPerSecond
                      ?? results.Where(r => r.Run.StartsWith("initial-t", StringComparison.Ordinal)).Max(r => r.RowsPerSecond);

        output.WriteLine("| run | conditions | rows | seconds | rows/s | target | met | slot WAL at snapshot end: retained / unconfirmed | source peak RSS | sink peak RSS | CPU s (µs/row): source / sink / PostgreSQL / Kafka+registry+workload |");
        output.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var r in results)
        {
            var (target, goal) = r.Target switch
            {
                Target.IntoKafka => ($"≥ {IntoKafkaTarget:N0}", IntoKafkaTarget),
                Target.HalfCopyPipe => copy is { } c ? ($"≥ 0.5 × COPY = {c / 2:N0}", c / 2) : ("≥ 0.5 × COPY (not run)", (double?)null),
                Target.HalfInitial => initial is { } i ? ($"≥ 0.5 × initial = {i / 2:N0}", i / 2) : ("≥ 0.5 × initial (not run)", null),
                _ => ("baseline", null),
            };
            var met = r.RowsPerSecond is { } rate && goal is { } g ? (rate >= g ? "yes" : "**no**") : "";
            var rss = new[] { r.Usage.SourceRssMb, r.Usage.SinkRssMb }.Where(m => m is not null).ToList();
            if (rss.Count > 0) met += (met.Length > 0 ? "; " : "") + (rss.All(m => m < RssTargetMb) ? "RSS < 300 MB" : "**RSS ≥ 300 MB**");
            var seconds = r.Elapsed is { } e ? e.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) : "failed: " + r.Failure!.ReplaceLineEndings(" ").Replace("|", "/", StringComparison.Ordinal);
            var wal = r.SlotWal is { } w ? $"{Megabytes(w.Retained)} / {Megabytes(w.Unconfirmed)}" : "";
            var cpu = r.Usage.PostgresCpuSeconds is null ? ""
                : string.Join(" / ", new[] { r.Usage.SourceCpuSeconds, r.Usage.SinkCpuSeconds, r.Usage.PostgresCpuSeconds, r.Usage.BenchCpuSeconds }.Select(c => Cpu(c, r.Rows)));
            output.WriteLine($"| {r.Run} | {r.Conditions} | {r.Rows:N0} | {seconds} | {r.RowsPerSecond?.ToString("N0", CultureInfo.InvariantCulture) ?? ""} | {target} | {met} | {wal} | " +
                             $"{Mb(r.Usage.SourceRssMb)} | {Mb(r.Usage.SinkRssMb)} | {cpu} |");
        }
    }

    static string Cpu(double? seconds, long rows) => seconds is { } s ? string.Create(CultureInfo.InvariantCulture, $"{s:0.0} ({s * 1e6 / rows:0.0})") : "-";

    static string Mb(double? megabytes) => megabytes is { } m ? $"{m:0} MB" : "";

    static string Megabytes(long bytes) => $"{bytes / 1048576.0:0.0} MB";
}
