namespace KafkaCdc.Tests;

/// <summary>Waiting for a condition with a deadline, the only way tests wait (no sleeps as synchronisation).</summary>
public static class Poll
{
    static readonly TimeSpan s_maxInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>Evaluates <paramref name="condition"/> until it holds; fails the test on timeout.</summary>
    /// <param name="condition">Checked first at once, then at growing intervals up to 200 ms.</param>
    /// <param name="timeout">How long to wait.</param>
    /// <param name="what">What is awaited, for the failure message: "timed out after 5s waiting for {what}".</param>
    public static Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what) => UntilAsync(condition, timeout, () => what);

    /// <summary>
    /// As <see cref="UntilAsync(Func{Task{bool}}, TimeSpan, string)"/>, with the failure message made when it fails, so
    /// that it can say what was seen by then.
    /// </summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> what)
    {
        var deadline = DateTime.UtcNow + timeout;
        var interval = TimeSpan.FromMilliseconds(10);
        while (!await condition())
        {
            if (DateTime.UtcNow >= deadline) Assert.Fail($"timed out after {timeout.TotalSeconds:0.#}s waiting for {what()}");
            await Task.Delay(interval);
            interval = TimeSpan.FromTicks(Math.Min(interval.Ticks * 2, s_maxInterval.Ticks));
        }
    }

    /// <summary>Evaluates <paramref name="condition"/> until it holds; fails the test on timeout.</summary>
    public static Task UntilAsync(Func<bool> condition, TimeSpan timeout, string what) =>
        UntilAsync(() => Task.FromResult(condition()), timeout, what);

    /// <summary>Evaluates <paramref name="condition"/> until it holds; fails the test on timeout, saying what was seen by then.</summary>
    public static Task UntilAsync(Func<bool> condition, TimeSpan timeout, Func<string> what) =>
        UntilAsync(() => Task.FromResult(condition()), timeout, what);
}
