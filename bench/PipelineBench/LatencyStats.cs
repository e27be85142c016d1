namespace KafkaCdc.Bench.Pipeline;

/// <summary>Commit-to-destination latency over the measured rows of a latency run.</summary>
internal sealed record LatencyStats(long Rows, TimeSpan P50, TimeSpan P99, TimeSpan Max);
