namespace KafkaCdc.Shared.Retrying;

/// <summary>
/// The one backoff rule for retrying transient failures, in both connectors: the wait before retry <c>n</c> (counting
/// from 1) is <see cref="First"/> × 2^(n−1), capped at <see cref="Max"/>, then jittered to between half and all of
/// that ("equal jitter"), so that tasks and processes that failed together do not retry in lockstep. Each caller owns its
/// attempt count and its loop (they differ in what they report while waiting); only the arithmetic lives here.
/// </summary>
public sealed record Backoff(TimeSpan First, TimeSpan Max)
{
    /// <summary>The wait before retry <paramref name="attempt"/> (1 for the first retry).</summary>
    public TimeSpan Delay(int attempt)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        var ceiling = Math.Min(Max.TotalMilliseconds, First.TotalMilliseconds * Math.Pow(2, Math.Min(attempt - 1, 30)));
        return TimeSpan.FromMilliseconds(ceiling / 2 + Random.Shared.NextDouble() * ceiling / 2);
    }
}
