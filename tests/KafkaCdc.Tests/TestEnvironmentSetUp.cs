namespace KafkaCdc.Tests;

/// <summary>Starts the test environment (<see cref="TestEnvironment"/>) once before all tests and stops it after.</summary>
[SetUpFixture]
public sealed class TestEnvironmentSetUp
{
    /// <summary>Starts the dev stack (or connects to the external services configured).</summary>
    [OneTimeSetUp]
    public Task StartAsync()
    {
        // Before any test touches Confluent.Kafka, so that the whole run uses the file the project's loader picks.
        KafkaCdc.Shared.Kafka.LibrdkafkaLibrary.Load();
        return TestEnvironment.StartAsync();
    }

    /// <summary>
    /// Fails the run if a test left a replication slot behind (<see cref="ReplicationSlotLeaks"/>: found and dropped
    /// first, since a slot stops its database from being dropped), then drops the databases tests created and stops the
    /// dev stack. NUnit reports the failure of a one-time teardown as an error of the whole run.
    /// </summary>
    [OneTimeTearDown]
    public async Task StopAsync()
    {
        IReadOnlyList<string> leaked;
        try
        {
            leaked = await TestEnvironment.DropLeakedReplicationSlotsAsync();
        }
        finally
        {
            await TestEnvironment.StopAsync();
        }
        Assert.That(leaked, Is.Empty, "replication slots left behind by tests (each test must drop the slots it creates)");
    }
}
