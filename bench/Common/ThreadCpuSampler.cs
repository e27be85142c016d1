using System.Globalization;

namespace KafkaCdc.Bench.Common;

/// <summary>
/// The CPU time a process's threads use from now on, grouped by thread name: sampled from /proc/PID/task/TID/stat every
/// 200 ms while the process runs, so threads that end before the run does (the snapshot's readers) are counted too (up
/// to their last sample).
/// </summary>
public sealed class ThreadCpuSampler : IDisposable
{
    readonly int _pid;
    readonly Dictionary<int, (string Name, double Seconds)> _threads = [];
    readonly Dictionary<int, double> _before = [];
    readonly Timer _timer;

    public ThreadCpuSampler(int pid)
    {
        _pid = pid;
        // What the threads that already run have used so far is not counted.
        Sample();
        foreach (var (id, thread) in _threads) _before[id] = thread.Seconds;
        _timer = new Timer(_ => Sample(), null, TimeSpan.Zero, TimeSpan.FromMilliseconds(200));
    }

    /// <summary>CPU seconds per thread group (digits dropped from thread names), most first: <c>name ×threads seconds</c>.</summary>
    public string Summary()
    {
        Sample();
        lock (_threads)
        {
            return string.Join(", ", _threads.Select(t => (t.Value.Name, Seconds: t.Value.Seconds - _before.GetValueOrDefault(t.Key)))
                .GroupBy(t => t.Name).Select(g => (g.Key, Count: g.Count(), Seconds: g.Sum(t => t.Seconds)))
                .Where(g => g.Seconds > 0).OrderByDescending(g => g.Seconds)
                .Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Key} ×{g.Count} {g.Seconds:0.00} s")));
        }
    }

    void Sample()
    {
        try
        {
            foreach (var task in Directory.EnumerateDirectories($"/proc/{_pid}/task"))
            {
                try
                {
                    var stat = File.ReadAllText(Path.Combine(task, "stat"));
                    var name = new string([.. stat[(stat.IndexOf('(') + 1)..stat.LastIndexOf(')')].Where(c => !char.IsDigit(c))]).Trim();
                    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                    var seconds = (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
                    lock (_threads) _threads[int.Parse(Path.GetFileName(task), CultureInfo.InvariantCulture)] = (name, seconds);
                }
                catch (IOException)
                {
                    // The thread ended meanwhile: its last sample stays.
                }
            }
        }
        catch (DirectoryNotFoundException)
        {
            // The process ended.
        }
    }

    public void Dispose() => _timer.Dispose();
}
