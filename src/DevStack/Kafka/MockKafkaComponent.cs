using Microsoft.Extensions.Logging;

namespace KafkaCdc.DevStack.Kafka;

/// <summary>The dev stack's Kafka: a <see cref="MockKafkaCluster"/>, published as <see cref="DevStackVariables.KafkaBootstrapServers"/>.</summary>
/// <remarks>
/// New consumer groups get their first assignment at once (group.initial.rebalance.delay.ms 0, as in the
/// usual single-broker development setups) rather than after the mock's default 3 s.
/// </remarks>
public sealed class MockKafkaComponent : IDevStackComponent
{
    readonly int _brokerCount;
    readonly ILogger _logger;
    MockKafkaCluster? _cluster;

    /// <summary>A component that will start <paramref name="brokerCount"/> brokers.</summary>
    public MockKafkaComponent(int brokerCount, ILogger logger)
    {
        _brokerCount = brokerCount;
        _logger = logger;
    }

    /// <inheritdoc />
    public string Name => "kafka";

    /// <summary>The running cluster, for fault injection.</summary>
    /// <exception cref="InvalidOperationException">Not started yet.</exception>
    public MockKafkaCluster Cluster => _cluster ?? throw new InvalidOperationException("the Kafka component is not started");

    /// <inheritdoc />
    public Task<IReadOnlyList<KeyValuePair<string, string>>> StartAsync(
        IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        _cluster = MockKafkaCluster.Start(_brokerCount);
        _cluster.SetGroupInitialRebalanceDelay(TimeSpan.Zero);
        Log.KafkaStarted(_logger, _brokerCount, _cluster.BootstrapServers);
        Log.KafkaRetentionLimit(_logger, MockKafkaCluster.PartitionRetentionBytes, MockKafkaCluster.PartitionRetentionBatches);
        IReadOnlyList<KeyValuePair<string, string>> variables = [new(DevStackVariables.KafkaBootstrapServers, _cluster.BootstrapServers)];
        return Task.FromResult(variables);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        _cluster?.Dispose();
        return ValueTask.CompletedTask;
    }
}
