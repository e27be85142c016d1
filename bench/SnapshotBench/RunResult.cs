using KafkaCdc.Bench.Common;

namespace KafkaCdc.Bench.Snapshot;

/// <summary>What a run is held against (the targets of issue 11).</summary>
internal enum Target
{
    /// <summary>No target: the baseline.</summary>
    None,

    /// <summary>Initial snapshot into Kafka: at least 100,000 rows/s.</summary>
    IntoKafka,

    /// <summary>End to end: at least half the COPY pipe's rate.</summary>
    HalfCopyPipe,

    /// <summary>Incremental snapshot: at least half the initial snapshot's rate.</summary>
    HalfInitial,
}

/// <summary>One row of the result table.</summary>
/// <param name="Run">The run's name (as <c>--only</c> spells it, with the thread count for initial runs).</param>
/// <param name="Conditions">What was measured, how.</param>
/// <param name="Rows">Rows of the table.</param>
/// <param name="Elapsed">From the start to the end the run defines; null when it failed.</param>
/// <param name="Target">The target the rate is held against.</param>
internal sealed record RunResult(string Run, string Conditions, long Rows, TimeSpan? Elapsed, Target Target)
{
    /// <summary>Why the run has no number, when it failed.</summary>
    public string? Failure { get; init; }

    /// <summary>The slot's WAL at the end of the snapshot: retained (from <c>restart_lsn</c>) and unconfirmed (from <c>confirmed_flush_lsn</c>), bytes.</summary>
    public (long Retained, long Unconfirmed)? SlotWal { get; init; }

    /// <summary>The connectors' peak RSS and every process's CPU during the run.</summary>
    public ProcessUsage Usage { get; init; } = new();

    /// <summary>Rows per second, when the run succeeded.</summary>
    public double? RowsPerSecond => Elapsed is { } elapsed ? Rows / elapsed.TotalSeconds : null;

    /// <summary>A failed run.</summary>
    public static RunResult Failed(string run, string conditions, long rows, Target target, string failure) =>
        new(run, conditions, rows, null, target) { Failure = failure };
}
