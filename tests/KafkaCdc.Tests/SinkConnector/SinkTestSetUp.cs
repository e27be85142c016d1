namespace KafkaCdc.Tests.SinkConnector;

/// <summary>Drops the destination databases and users the sink tests created, after all of them ran.</summary>
[SetUpFixture]
public sealed class SinkTestSetUp
{
    /// <summary>Drops them.</summary>
    [OneTimeTearDown]
    public Task DropDestinationsAsync() => Support.SinkDestination.DropAllAsync();
}
