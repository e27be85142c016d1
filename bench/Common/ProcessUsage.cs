namespace KafkaCdc.Bench.Common;

/// <summary>What the processes of one run used: the connectors' peak RSS, and each process's CPU seconds during the run.</summary>
public sealed record ProcessUsage
{
    /// <summary>The source connector's peak resident set (VmHWM), MB.</summary>
    public double? SourceRssMb { get; init; }

    /// <summary>The sink connector's peak resident set (VmHWM), MB.</summary>
    public double? SinkRssMb { get; init; }

    /// <summary>CPU seconds of the source connector.</summary>
    public double? SourceCpuSeconds { get; init; }

    /// <summary>CPU seconds of the sink connector.</summary>
    public double? SinkCpuSeconds { get; init; }

    /// <summary>CPU seconds of the whole PostgreSQL server (all databases, every backend and worker).</summary>
    public double? PostgresCpuSeconds { get; init; }

    /// <summary>CPU seconds of the benchmark's own process: the mock Kafka cluster, the registry, its writers and polling.</summary>
    public double? BenchCpuSeconds { get; init; }
}
