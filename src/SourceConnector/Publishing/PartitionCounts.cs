using Confluent.Kafka;

namespace KafkaCdc.SourceConnector.Publishing;

/// <summary>
/// The partition count of each topic a truncate goes to (a truncate is written to every partition), from the
/// cluster metadata, cached for the session: partitions added later are seen after a reconnect.
/// </summary>
internal sealed class PartitionCounts(IProducer<byte[]?, byte[]?> producer)
{
    static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);
    readonly Dictionary<string, int> _counts = new(StringComparer.Ordinal);

    /// <summary>The number of partitions of <paramref name="topic"/>.</summary>
    /// <exception cref="KafkaException">No metadata for the topic in time (transient).</exception>
    public int For(string topic)
    {
        if (_counts.TryGetValue(topic, out var count)) return count;
        using var admin = new DependentAdminClientBuilder(producer.Handle).Build();
        var metadata = admin.GetMetadata(topic, s_timeout).Topics.SingleOrDefault(t => t.Topic == topic);
        if (metadata is null || metadata.Error.IsError || metadata.Partitions.Count == 0)
            throw new KafkaException(new Error(metadata?.Error.Code ?? ErrorCode.UnknownTopicOrPart,
                $"no partitions of topic {topic} in the cluster metadata ({metadata?.Error.Reason ?? "topic not listed"})"));
        _counts[topic] = metadata.Partitions.Count;
        return metadata.Partitions.Count;
    }
}
