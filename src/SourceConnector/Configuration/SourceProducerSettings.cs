using Confluent.Kafka;
using KafkaCdc.Shared.Kafka;

namespace KafkaCdc.SourceConnector.Configuration;

/// <summary>The source's Kafka producer configuration: owned properties and the defaults it changes.</summary>
internal static class SourceProducerSettings
{
    /// <summary>
    /// Set by the connector, never by <c>kafka.*</c> keys: idempotence and <c>acks=all</c> (a retried batch is written
    /// once and in order, so a delivery report means the record is durable), and delivery reports carrying their status.
    /// </summary>
    public static IReadOnlyDictionary<string, string> OwnedProperties { get; } = new Dictionary<string, string>(KafkaOwnedProperties.IdempotentProducer)
    {
        ["dotnet.producer.enable.delivery.reports"] = "true",
        ["dotnet.producer.delivery.report.fields"] = "status",
    };

    /// <summary>
    /// Defaults that differ from librdkafka's, each overridable with its <c>kafka.*</c> key:
    /// <c>message.timeout.ms=0</c> (never give up on a record: while Kafka is unavailable the producer keeps retrying and
    /// the LSN is not confirmed), a 64 MiB send queue (<c>queue.buffering.max.kbytes</c>; when it is full the connector
    /// stops reading the replication stream instead of buffering more), <c>linger.ms=10</c> for larger batches, and
    /// <c>partitioner=murmur2_random</c>, the Java client's partitioner, so a key lands on the partition a Java
    /// producer (Kafka Connect, Debezium) would choose rather than librdkafka's CRC32-based default.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Defaults { get; } = new Dictionary<string, string>
    {
        ["message.timeout.ms"] = "0",
        ["queue.buffering.max.kbytes"] = "65536",
        ["queue.buffering.max.messages"] = "200000",
        ["linger.ms"] = "10",
        ["batch.num.messages"] = "10000",
        ["partitioner"] = "murmur2_random",
    };

    /// <summary>The producer configuration: defaults, then the configured <c>kafka.*</c> properties, then the owned ones.</summary>
    public static ProducerConfig Create(KafkaClientSettings settings, string clientId)
    {
        var config = settings.CreateProducerConfig(OwnedProperties);
        foreach (var (key, value) in Defaults)
        {
            if (!settings.Properties.ContainsKey(key)) config.Set(key, value);
        }
        if (!settings.Properties.ContainsKey("client.id")) config.ClientId = clientId;
        return config;
    }
}
