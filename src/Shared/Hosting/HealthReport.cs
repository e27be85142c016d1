namespace KafkaCdc.Shared.Hosting;

/// <summary>What <c>GET /health</c> answers: healthy or not, the connector's state, and the last error.</summary>
/// <param name="IsHealthy">False makes <c>/health</c> answer 503.</param>
/// <param name="State">
/// The connector's state in a word (starting, streaming, snapshotting, failed...; the sink's <c>degraded</c>: healthy and
/// running, but some table stopped at a record it cannot write).
/// </param>
/// <param name="Error">The error that made it unhealthy, if any (never holds secrets).</param>
public sealed record HealthReport(bool IsHealthy, string State, string? Error = null);
