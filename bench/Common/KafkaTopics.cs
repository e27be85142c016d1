using Confluent.Kafka;

namespace KafkaCdc.Bench.Common;

/// <summary>Counts what a topic holds, from its partitions' watermarks (the mock cluster drops old data, never offsets).</summary>
public static class KafkaTopics
{
    /// <summary>The sum of the partitions' high watermarks (records ever written) and of their low watermarks (records dropped).</summary>
    public static (long Written, long Dropped) Watermarks(string bootstrapServers, string topic, int partitions)
    {
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = bootstrapServers, GroupId = "kafkacdc-bench-watermarks" }).Build();
        var offsets = Enumerable.Range(0, partitions)
            .Select(p => consumer.QueryWatermarkOffsets(new TopicPartition(topic, p), TimeSpan.FromSeconds(10))).ToList();
        return (offsets.Sum(w => w.High.Value), offsets.Sum(w => w.Low.Value));
    }
}
