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

    public CpuMark(int postmaster, IReplicationPath path)
    {
        _postmaster = postmaster;
        _path = path;
        _postgres = ProcessStats.PostgresCpuSeconds(postmaster);
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

    public void Dispose()
    {
        _sourceThreads?.Dispose();
        _sinkThreads?.Dispose();
    }
}
