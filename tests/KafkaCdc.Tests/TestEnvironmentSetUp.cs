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

    /// <summary>Drops the databases tests created and stops the dev stack.</summary>
    [OneTimeTearDown]
    public Task StopAsync() => TestEnvironment.StopAsync();
}
