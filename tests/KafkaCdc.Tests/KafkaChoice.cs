namespace KafkaCdc.Tests;

/// <summary>Where a test run's Kafka and schema registry come from.</summary>
public enum KafkaSource
{
    /// <summary><c>KAFKA_BOOTSTRAP_SERVERS</c> names one.</summary>
    External,

    /// <summary>Real Apache Kafka and Confluent Schema Registry in containers (<see cref="KafkaContainers"/>).</summary>
    Containers,

    /// <summary>The dev stack's mock cluster and registry.</summary>
    DevStack,
}

/// <summary>
/// The choice of <see cref="KafkaSource"/>: <c>KAFKA_BOOTSTRAP_SERVERS</c> first; else <c>KCDC_TEST_KAFKA</c>:
/// <c>auto</c> (the default: containers when a Docker engine answers, else the dev stack), <c>containers</c> (fails at
/// once without Docker), <c>devstack</c>.
/// </summary>
public static class KafkaChoice
{
    /// <summary>The variable choosing between containers and the dev stack.</summary>
    public const string Variable = "KCDC_TEST_KAFKA";

    /// <summary>Decides, and says why in one line for the run's output.</summary>
    /// <exception cref="InvalidOperationException">The variable has another value, or asks for containers without Docker.</exception>
    public static (KafkaSource Source, string Why) Decide(string? externalKafka, string? mode, bool dockerReachable, string docker)
    {
        if (!string.IsNullOrWhiteSpace(externalKafka)) return (KafkaSource.External, $"external Kafka at {externalKafka} (KAFKA_BOOTSTRAP_SERVERS)");
        return (mode?.Trim().ToLowerInvariant()) switch
        {
            null or "" or "auto" => dockerReachable
                ? (KafkaSource.Containers, $"Kafka and schema registry in containers ({docker})")
                : (KafkaSource.DevStack, $"Kafka and schema registry of the dev stack ({docker}; {Variable}=containers to insist)"),
            "containers" => dockerReachable
                ? (KafkaSource.Containers, $"Kafka and schema registry in containers ({docker}; {Variable}=containers)")
                : throw new InvalidOperationException($"{Variable}=containers, but {docker}"),
            "devstack" => (KafkaSource.DevStack, $"Kafka and schema registry of the dev stack ({Variable}=devstack)"),
            _ => throw new InvalidOperationException($"{Variable} is '{mode}'; use auto, containers or devstack"),
        };
    }
}
