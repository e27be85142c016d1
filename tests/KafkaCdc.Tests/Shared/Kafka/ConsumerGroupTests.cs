using Confluent.Kafka;
using KafkaCdc.Shared.Kafka;

namespace KafkaCdc.Tests.Shared.Kafka;

/// <summary>The sink's consumer configuration in a consumer group: partitions are shared and handed over.</summary>
public class ConsumerGroupTests
{
    static readonly TimeSpan s_rebalanceTimeout = TimeSpan.FromSeconds(30);

    [Test]
    public async Task TwoConsumersInOneGroup_SplitPartitions_SurvivorGetsAllAfterOtherCloses()
    {
        var topic = TestEnvironment.UniqueName("group");
        await TestEnvironment.CreateTopicAsync(topic, partitions: 4);
        var config = KafkaClientSettings.FromConnectorConfig(new Dictionary<string, string?>
        {
            ["kafka.bootstrap.servers"] = TestEnvironment.KafkaBootstrapServers,
            ["kafka.group.id"] = TestEnvironment.UniqueName("sink"),
            // The mock cluster waits session.timeout.ms - 1 s for members to rejoin after a member joins or
            // leaves; real brokers refuse session timeouts below group.min.session.timeout.ms (6 s).
            ["kafka.session.timeout.ms"] = TestEnvironment.IsMockKafka ? "2000" : "6000",
            ["kafka.heartbeat.interval.ms"] = "200",
        }).CreateConsumerConfig(KafkaOwnedProperties.ManualCommitConsumer);

        using var first = new ConsumerBuilder<string, string>(config).Build();
        using var second = new ConsumerBuilder<string, string>(config).Build();
        first.Subscribe(topic);
        second.Subscribe(topic);

        // Consume drives the group protocol (joins, rebalances, assignment callbacks) of each consumer.
        await Poll.UntilAsync(() =>
        {
            first.Consume(TimeSpan.FromMilliseconds(50));
            second.Consume(TimeSpan.FromMilliseconds(50));
            return first.Assignment.Count > 0 && second.Assignment.Count > 0 && first.Assignment.Count + second.Assignment.Count == 4;
        }, s_rebalanceTimeout, "both consumers to share the 4 partitions");
        Assert.That(first.Assignment.Concat(second.Assignment).Select(p => p.Partition.Value), Is.EquivalentTo(new[] { 0, 1, 2, 3 }));

        second.Close();

        await Poll.UntilAsync(() =>
        {
            first.Consume(TimeSpan.FromMilliseconds(50));
            return first.Assignment.Count == 4;
        }, s_rebalanceTimeout, "the remaining consumer to be assigned all 4 partitions");
        first.Close();
    }
}
