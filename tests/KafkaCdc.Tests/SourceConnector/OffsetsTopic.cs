using Confluent.Kafka;
using KafkaCdc.SourceConnector.Checkpointing;

namespace KafkaCdc.Tests.SourceConnector;

/// <summary>Reads a connector's stored offset straight from its offsets topic.</summary>
internal static class OffsetsTopic
{
    /// <summary>The latest offset record of <paramref name="connector"/> in <paramref name="topic"/> (null for none or a tombstone).</summary>
    public static SourceOffset? Read(string topic, string connector)
    {
        var config = new ConsumerConfig
        {
            BootstrapServers = TestEnvironment.KafkaBootstrapServers,
            GroupId = "unused-" + topic,
            EnableAutoCommit = false,
        };
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(config).SetLogHandler((_, _) => { }).Build();
        using var admin = new DependentAdminClientBuilder(consumer.Handle).Build();
        var partitions = admin.GetMetadata(topic, TimeSpan.FromSeconds(10)).Topics.Single().Partitions;
        SourceOffset? latest = null;
        var found = false;
        foreach (var partition in partitions)
        {
            var tp = new TopicPartition(topic, partition.PartitionId);
            var watermarks = consumer.QueryWatermarkOffsets(tp, TimeSpan.FromSeconds(10));
            if (watermarks.High <= watermarks.Low) continue;
            consumer.Assign(new TopicPartitionOffset(tp, watermarks.Low));
            while (consumer.Position(tp) < watermarks.High && consumer.Consume(TimeSpan.FromSeconds(10)) is { } result)
            {
                if (result.Message.Key is null || System.Text.Encoding.UTF8.GetString(result.Message.Key) != connector) continue;
                latest = result.Message.Value is null ? null : SourceOffset.Parse(result.Message.Value);
                found = true;
            }
        }
        return found ? latest : null;
    }
}
