using KafkaCdc.Bench.Common;

namespace KafkaCdc.Bench.Pipeline;

/// <summary>
/// The CPU time of every process of a run at one moment (PostgreSQL's whole server, this process, the connectors),
/// and their threads' from then on; a run's CPU is the difference to the end.
/// </summary>
internal sealed class CpuMark : IDisposable
{
    readonly int _postmaster;
    readonly IReplicationPath _path;
    readonly double _postgres;
    readonly double _bench;
    readonly double? _source;
    readonly double? _sink;
    readonly ThreadCpuSampler? _sourceThreads;
    readonly ThreadCpuSampler? _sinkThreads;
    readonly Dictionary<int, (string Title, double Seconds)> _postgresChildren;

    public CpuMark(int postmaster, IReplicationPath path)
    {
        _postmaster = postmaster;
        _path = path;
        _postgres = ProcessStats.PostgresCpuSeconds(postmaster);
        _postgresChildren = ProcessStats.PostgresChildren(postmaster);
        _bench = ProcessStats.CpuSeconds(Environment.ProcessId);
        _source = path.SourceProcess is { } source ? ProcessStats.CpuSeconds(source.Id) : null;
        _sink = path.SinkProcess is { } sink ? ProcessStats.CpuSeconds(sink.Id) : null;
        _sourceThreads = path.SourceProcess is { } s ? new ThreadCpuSampler(s.Id) : null;
        _sinkThreads = path.SinkProcess is { } k ? new ThreadCpuSampler(k.Id) : null;
    }

    /// <summary><paramref name="result"/> with the CPU used since the mark and the connectors' peak RSS.</summary>
    public PipelineResult Measured(PipelineResult result) => result with
    {
        Usage = new ProcessUsage
        {
            PostgresCpuSeconds = ProcessStats.PostgresCpuSeconds(_postmaster) - _postgres,
            BenchCpuSeconds = ProcessStats.CpuSeconds(Environment.ProcessId) - _bench,
            SourceCpuSeconds = _path.SourceProcess is { } source ? ProcessStats.CpuSeconds(source.Id) - _source : null,
            SinkCpuSeconds = _path.SinkProcess is { } sink ? ProcessStats.CpuSeconds(sink.Id) - _sink : null,
            SourceRssMb = _path.SourceProcess is { } s ? ProcessStats.PeakRssMegabytes(s.Id) : null,
            SinkRssMb = _path.SinkProcess is { } k ? ProcessStats.PeakRssMegabytes(k.Id) : null,
        },
    };

    /// <summary>The connectors' CPU by thread group since the mark, for the run's log line.</summary>
    public string Threads() =>
        string.Join("; ", new[] { ("source", _sourceThreads), ("sink", _sinkThreads) }.Where(t => t.Item2 is not null).Select(t => $"{t.Item1} CPU by thread: {t.Item2!.Summary()}"));

    /// <summary>
    /// PostgreSQL's CPU since the mark by the role of each process still running: the walsenders (decoding the WAL for
    /// the source or the subscription), the backends of the destination databases (the sink's, or the subscription's
    /// apply worker), the source database's backends (the workload's writer), and the rest (ended processes, the
    /// server's own workers).
    /// </summary>
    public string PostgresByRole()
    {
        var total = ProcessStats.PostgresCpuSeconds(_postmaster) - _postgres;
        var roles = new Dictionary<string, double>();
        foreach (var (pid, (title, seconds)) in ProcessStats.PostgresChildren(_postmaster))
        {
            var role = title.Contains("walsender", StringComparison.Ordinal) ? "walsender"
                : title.Contains("logical replication", StringComparison.Ordinal) || title.Contains(" pipe_sink ", StringComparison.Ordinal) ||
                  title.Contains(" pipe_native ", StringComparison.Ordinal) ? "destination (sink backends / apply worker)"
                : title.Contains(" pipe_source ", StringComparison.Ordinal) ? "source database (the writer)"
                : null;
            if (role is null) continue;
            roles[role] = roles.GetValueOrDefault(role) + seconds - (_postgresChildren.TryGetValue(pid, out var before) && before.Title == title ? before.Seconds : 0);
        }
        var named = roles.Values.Sum();
        return "PostgreSQL CPU by process: " + string.Join(", ", roles.OrderByDescending(r => r.Value).Select(r => $"{r.Key} {r.Value:0.00} s")) +
               $", the rest (ended processes, such as the writer's connection, and the server's own) {Math.Max(0, total - named):0.00} s";
    }

    public void Dispose()
    {
        _sourceThreads?.Dispose();
        _sinkThreads?.Dispose();
    }
}
