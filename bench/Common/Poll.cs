namespace KafkaCdc.Bench.Common;

/// <summary>Waiting for a condition with a deadline, never a fixed sleep.</summary>
public static class Poll
{
    /// <summary>
    /// Checks <paramref name="condition"/> every <paramref name="interval"/> until it holds; throws a
    /// <see cref="TimeoutException"/> naming <paramref name="what"/> after <paramref name="timeout"/>, and
    /// <paramref name="check"/> may throw earlier (a child process that exited, say).
    /// </summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what, TimeSpan? interval = null, Action? check = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            check?.Invoke();
            if (await condition()) return;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"waited {timeout.TotalSeconds:0} s for {what}");
            await Task.Delay(interval ?? TimeSpan.FromMilliseconds(50));
        }
    }
}
