using System.Globalization;

namespace KafkaCdc.Bench.Common;

/// <summary>What /proc says about a process: its CPU time and its peak resident set.</summary>
public static class ProcessStats
{
    /// <summary>User plus system CPU seconds of the process so far (/proc/PID/stat fields 14 and 15, in ticks of 1/100 s).</summary>
    public static double CpuSeconds(int pid)
    {
        var fields = StatFields(pid);
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }

    /// <summary>The process's peak resident set in MB (VmHWM of /proc/PID/status).</summary>
    public static double PeakRssMegabytes(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
    }

    /// <summary>
    /// CPU seconds of one PostgreSQL server so far: its postmaster's own and its ended children's (cutime, cstime),
    /// plus those of its live children (backends, walsenders, background workers).
    /// </summary>
    public static double PostgresCpuSeconds(int postmasterPid)
    {
        var fields = StatFields(postmasterPid);
        var total = (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)
                     + long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture)) / 100.0;
        foreach (var child in File.ReadAllText($"/proc/{postmasterPid}/task/{postmasterPid}/children").Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            try
            {
                total += CpuSeconds(int.Parse(child, CultureInfo.InvariantCulture));
            }
            catch (IOException)
            {
                // Ended meanwhile: its time is in the postmaster's cutime from now on.
            }
        }
        return total;
    }

    /// <summary>
    /// CPU seconds so far of each live child of a PostgreSQL server, by process id, with its process title
    /// (<c>postgres: walsender …</c>, <c>postgres: user database host …</c>, <c>postgres: logical replication worker …</c>).
    /// </summary>
    public static Dictionary<int, (string Title, double Seconds)> PostgresChildren(int postmasterPid)
    {
        var children = new Dictionary<int, (string, double)>();
        foreach (var child in File.ReadAllText($"/proc/{postmasterPid}/task/{postmasterPid}/children").Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var pid = int.Parse(child, CultureInfo.InvariantCulture);
            try
            {
                var title = File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim();
                children[pid] = (title, CpuSeconds(pid));
            }
            catch (IOException)
            {
                // Ended meanwhile.
            }
        }
        return children;
    }

    /// <summary>The postmaster of the server <paramref name="connection"/> is connected to (the parent of its backend).</summary>
    public static int PostmasterOf(Npgsql.NpgsqlConnection connection)
    {
        var backend = connection.ProcessID;
        var line = File.ReadLines($"/proc/{backend}/status").Single(l => l.StartsWith("PPid:", StringComparison.Ordinal));
        return int.Parse(line["PPid:".Length..].Trim(), CultureInfo.InvariantCulture);
    }

    static string[] StatFields(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
    }
}
