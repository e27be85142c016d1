using System.Globalization;

namespace KafkaCdc.Bench.Snapshot;

/// <summary>What /proc says about a process: its CPU time and its peak resident set.</summary>
internal static class ProcessStats
{
    /// <summary>User plus system CPU seconds of the process so far (/proc/PID/stat fields 14 and 15, in ticks of 1/100 s).</summary>
    public static double CpuSeconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }

    /// <summary>The process's peak resident set in MB (VmHWM of /proc/PID/status).</summary>
    public static double PeakRssMegabytes(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
    }
}
