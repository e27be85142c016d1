using KafkaCdc.Shared.Retrying;

namespace KafkaCdc.Tests.Shared.Retrying;

public class BackoffTests
{
    [TestCase(1, 100, 200)]
    [TestCase(2, 200, 400)]
    [TestCase(3, 400, 800)]
    [TestCase(10, 2_500, 5_000)] // capped at Max
    [TestCase(1_000, 2_500, 5_000)] // no overflow however many attempts
    public void Delay_DoublesFromFirst_CappedAtMax_JitteredToBetweenHalfAndAll(int attempt, double lowMs, double highMs)
    {
        var backoff = new Backoff(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(5));
        var delays = Enumerable.Range(0, 200).Select(_ => backoff.Delay(attempt).TotalMilliseconds).ToList();
        Assert.That(delays, Has.All.InRange(lowMs, highMs));
        Assert.That(delays.Distinct().Count(), Is.GreaterThan(1), "jittered, so that tasks failing together do not retry in lockstep");
    }

    [Test]
    public void Delay_RejectsAttemptsBelowOne() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new Backoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30)).Delay(0));
}
