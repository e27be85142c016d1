using KafkaCdc.Demo.Watching;

namespace KafkaCdc.Demo.Display;

/// <summary>How numbers, durations and snapshot progress read in the view and the log lines.</summary>
internal static class Formats
{
    /// <summary>A count with thousands separators.</summary>
    public static string Count(long value) => value.ToString("N0", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A rate, rounded.</summary>
    public static string Rate(double perSecond) => Count((long)Math.Round(perSecond));

    /// <summary>A lag: milliseconds below 1 s, seconds with one decimal above; "—" when unknown.</summary>
    public static string Lag(TimeSpan? lag) => lag switch
    {
        null => "—",
        { TotalSeconds: < 1 } l => $"{l.TotalMilliseconds:0} ms",
        { } l => $"{l.TotalSeconds:0.0} s",
    };

    /// <summary>Bytes in B, KiB, MiB or GiB.</summary>
    public static string Bytes(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => $"{bytes / 1024.0:0.0} KiB",
        < 1024L * 1024 * 1024 => $"{bytes / 1024.0 / 1024:0.0} MiB",
        _ => $"{bytes / 1024.0 / 1024 / 1024:0.0} GiB",
    };

    /// <summary>Elapsed time as hh:mm:ss.</summary>
    public static string Elapsed(TimeSpan elapsed) => $"{(int)elapsed.TotalHours:00}:{elapsed.Minutes:00}:{elapsed.Seconds:00}";

    /// <summary>A table's snapshot progress in words, or null when no snapshot has read the table.</summary>
    public static string? Snapshot(TableSnapshotView? table) => table switch
    {
        null => null,
        { Done: true } t => $"done, {Count(t.Rows)} rows",
        { EstimatedRows: > 0 } t => $"{Math.Min(100, 100.0 * t.Rows / t.EstimatedRows):0}% {Count(t.Rows)}/{Count(t.EstimatedRows)} ({Rate(t.RowsPerSecond)} rows/s)",
        { } t => $"{Count(t.Rows)} rows ({Rate(t.RowsPerSecond)} rows/s)",
    };

    /// <summary>A progress bar of <paramref name="width"/> cells.</summary>
    public static string Bar(double fraction, int width)
    {
        var full = (int)Math.Round(Math.Clamp(fraction, 0, 1) * width);
        return new string('█', full) + new string('░', width - full);
    }
}
