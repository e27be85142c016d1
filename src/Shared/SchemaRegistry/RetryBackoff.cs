namespace KafkaCdc.Shared.SchemaRegistry;

/// <summary>
/// Exponential backoff with jitter: before retry n (from 1), a random wait between half and all of
/// <c>initial × 2^(n-1)</c>, capped at <c>max</c>. The jitter keeps many clients that failed together from
/// retrying together.
/// </summary>
sealed class RetryBackoff(TimeSpan initial, TimeSpan max)
{
    public TimeSpan Before(int retry)
    {
        var full = initial.TotalMilliseconds * Math.Pow(2, Math.Min(retry - 1, 30));
        var capped = Math.Min(full, max.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped / 2 + Random.Shared.NextDouble() * capped / 2);
    }
}
