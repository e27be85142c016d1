namespace KafkaCdc.Shared.Kafka;

/// <summary>
/// librdkafka properties the connectors set themselves because their delivery guarantees depend on them.
/// A <c>kafka.*</c> key naming one of them is a configuration error (see
/// <see cref="KafkaClientSettings.Validate"/>). Connectors may pass a larger set of their own.
/// </summary>
public static class KafkaOwnedProperties
{
    /// <summary>
    /// The source connector's producer: idempotent with acknowledgement from all in-sync replicas, so that a
    /// retried batch is written once and in order, which is what lets the source confirm an LSN to PostgreSQL
    /// after the delivery report.
    /// </summary>
    public static IReadOnlyDictionary<string, string> IdempotentProducer { get; } = new Dictionary<string, string>
    {
        ["enable.idempotence"] = "true",
        ["acks"] = "all",
    };

    /// <summary>
    /// The sink connector's consumer: offsets are stored and committed by the connector only after the
    /// database transaction holding the messages committed.
    /// </summary>
    public static IReadOnlyDictionary<string, string> ManualCommitConsumer { get; } = new Dictionary<string, string>
    {
        ["enable.auto.commit"] = "false",
        ["enable.auto.offset.store"] = "false",
    };

    /// <summary>No owned properties (e.g. for an admin client).</summary>
    public static IReadOnlyDictionary<string, string> None { get; } = new Dictionary<string, string>();
}
