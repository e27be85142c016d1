using KafkaCdc.Bench.Common;

namespace KafkaCdc.Bench.Pipeline;

/// <summary>One row of the result table: one workload through one path.</summary>
/// <param name="Workload">The workload's name (runs of one workload are compared with each other).</param>
/// <param name="Description">What the workload wrote.</param>
/// <param name="Path">The path's name.</param>
/// <param name="Changes">Changes (rows) the workload wrote.</param>
/// <param name="Baseline">Whether this is the run the others of the workload are held against (native replication, the COPY pipe).</param>
internal sealed record PipelineResult(string Workload, string Description, string Path, long Changes, bool Baseline)
{
    /// <summary>From the first commit (for the initial load: the start) until the destination held the final state; null when the run failed.</summary>
    public TimeSpan? Elapsed { get; init; }

    /// <summary>From the first commit until the last.</summary>
    public TimeSpan? Writing { get; init; }

    /// <summary>From the last commit until the destination held the final state.</summary>
    public TimeSpan? AfterLastCommit { get; init; }

    /// <summary>Commit-to-destination latency, for latency runs.</summary>
    public LatencyStats? Latency { get; init; }

    /// <summary>Why the run has no number.</summary>
    public string? Failure { get; init; }

    /// <summary>The connectors' peak RSS and every process's CPU while the workload ran (the connectors' start-up excluded).</summary>
    public ProcessUsage Usage { get; init; } = new();

    /// <summary>Changes per second, when the run succeeded.</summary>
    public double? PerSecond => Elapsed is { } elapsed ? Changes / elapsed.TotalSeconds : null;
}
