namespace KafkaCdc.Tests;

/// <summary>Where a test run's Kafka (or schema registry) comes from (<see cref="KafkaChoice"/>).</summary>
public enum KafkaSource
{
    /// <summary>An external service: <c>KAFKA_BOOTSTRAP_SERVERS</c> (or <c>SCHEMA_REGISTRY_URL</c>) names it.</summary>
    External,

    /// <summary>Real Apache Kafka and Confluent Schema Registry in containers (<see cref="KafkaContainers"/>).</summary>
    Containers,

    /// <summary>The dev stack's mock Kafka cluster (with its fault-injection endpoint) and in-process schema registry.</summary>
    DevStack,
}
