using Confluent.Kafka;

namespace KafkaCdc.Tests;

/// <summary>Reads a whole topic from the beginning without a consumer group, for checking what was produced.</summary>
public static class TopicReader
{
    /// <summary>
    /// Reads until <paramref name="expectedCount"/> messages arrived, then checks that the topic holds no more
    /// (its high watermarks add up to the same count), so a duplicate fails the caller's comparison.
    /// </summary>
    /// <returns>The messages, in offset order per partition.</returns>
    public static async Task<IReadOnlyList<ConsumeResult<string, string>>> ReadAllAsync(string topic, int expectedCount, TimeSpan timeout)
    {
        var config = new ConsumerConfig
        {
            BootstrapServers = TestEnvironment.KafkaBootstrapServers,
            GroupId = "unused-" + topic, // required by the client; no subscribe, so no group coordination
            EnableAutoCommit = false,
            EnablePartitionEof = false,
        };
        using var consumer = new ConsumerBuilder<string, string>(config).Build();
        using var admin = new DependentAdminClientBuilder(consumer.Handle).Build();
        var partitions = admin.GetMetadata(topic, TimeSpan.FromSeconds(10)).Topics.Single().Partitions;
        consumer.Assign(partitions.Select(p => new TopicPartitionOffset(topic, p.PartitionId, Offset.Beginning)));

        var messages = new List<ConsumeResult<string, string>>();
        await Poll.UntilAsync(() =>
        {
            while (consumer.Consume(TimeSpan.FromMilliseconds(50)) is { } result) messages.Add(result);
            return messages.Count >= expectedCount;
        }, timeout, () => $"{expectedCount} messages in {topic} (have {messages.Count})");

        var total = partitions.Sum(p =>
        {
            var watermarks = consumer.QueryWatermarkOffsets(new TopicPartition(topic, p.PartitionId), TimeSpan.FromSeconds(10));
            return watermarks.High.Value - watermarks.Low.Value;
        });
        Assert.That(total, Is.EqualTo(expectedCount), $"messages stored in {topic}");
        return messages.OrderBy(m => m.Partition.Value).ThenBy(m => m.Offset.Value).ToList();
    }
}
