using Npgsql;

namespace KafkaCdc.Tests;

public class TestEnvironmentTests
{
    [Test]
    public void UniqueName_SamePrefix_DistinctLowerCaseIdentifiers()
    {
        var first = TestEnvironment.UniqueName("Orders-Topic");
        var second = TestEnvironment.UniqueName("Orders-Topic");

        Assert.That(first, Is.Not.EqualTo(second));
        Assert.That(new[] { first, second }, Has.All.Match("^orders_topic_[0-9a-f]{6}_[0-9]+$"));
        Assert.That(TestEnvironment.UniqueName(new string('x', 100)), Has.Length.LessThanOrEqualTo(63));
    }

    [Test]
    public async Task CreateDatabaseAsync_Prefix_NewDatabaseToConnectTo()
    {
        var connectionString = await TestEnvironment.CreateDatabaseAsync("harness");

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT current_database()", connection);
        Assert.That(await command.ExecuteScalarAsync(), Does.StartWith("harness_"));
    }

    [Test]
    public void Poll_ConditionNeverHolds_FailsSayingWhatItAwaited()
    {
        var exception = Assert.ThrowsAsync<AssertionException>(() =>
            Poll.UntilAsync(() => false, TimeSpan.FromMilliseconds(100), "the impossible"));

        Assert.That(exception!.Message, Does.Contain("timed out after 0.1s waiting for the impossible"));
    }

    [Test]
    public void KafkaBootstrapServers_DevStackOrOverride_Set()
    {
        Assert.That(TestEnvironment.KafkaBootstrapServers, Is.Not.Empty);
        Assert.That(TestEnvironment.PostgresConnectionString, Does.Contain("Host="));
    }
}
