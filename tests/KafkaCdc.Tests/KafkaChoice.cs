namespace KafkaCdc.Tests;

/// <summary>
/// Where a test run's Kafka and schema registry come from, and why, decided once at the start of the run.
/// </summary>
/// <remarks>
/// <c>KAFKA_BOOTSTRAP_SERVERS</c> first (external Kafka); else <c>KCDC_TEST_KAFKA</c>: <c>auto</c> (the default:
/// containers when a Docker engine answers, else the dev stack), <c>containers</c> (fails at once without Docker),
/// <c>devstack</c>. The registry is <c>SCHEMA_REGISTRY_URL</c> when set, else the containers' one with containers and
/// the dev stack's otherwise. Docker is asked only when the answer matters.
/// </remarks>
/// <param name="Kafka">Where Kafka comes from.</param>
/// <param name="Registry">Where the schema registry comes from.</param>
/// <param name="Reason">Why, in a few words (the Docker endpoint, or why there is none).</param>
public sealed record KafkaChoice(KafkaSource Kafka, KafkaSource Registry, string Reason)
{
    /// <summary>The variable choosing between containers and the dev stack.</summary>
    public const string Variable = "KCDC_TEST_KAFKA";

    /// <summary>The run's one line about it, e.g. <c>Kafka and schema registry: containers (Docker at unix:///var/run/docker.sock)</c>.</summary>
    public string Line => Kafka == Registry
        ? $"Kafka and schema registry: {Name(Kafka)} ({Reason})"
        : $"Kafka: {Name(Kafka)}; schema registry: {Name(Registry)} ({Reason})";

    /// <summary>Decides from the variables' values, calling <paramref name="probeDocker"/> only when Docker decides.</summary>
    /// <param name="externalKafka"><c>KAFKA_BOOTSTRAP_SERVERS</c>.</param>
    /// <param name="externalRegistry"><c>SCHEMA_REGISTRY_URL</c>.</param>
    /// <param name="mode"><c>KCDC_TEST_KAFKA</c>.</param>
    /// <param name="probeDocker">Whether a Docker engine answers (<see cref="DockerEngine.ProbeAsync(TimeSpan, CancellationToken)"/>).</param>
    /// <exception cref="InvalidOperationException">The variable has another value, or asks for containers and no Docker engine answers.</exception>
    public static async Task<KafkaChoice> DecideAsync(string? externalKafka, string? externalRegistry, string? mode, Func<Task<DockerEngine>> probeDocker)
    {
        var asked = mode?.Trim().ToLowerInvariant();
        if (asked is not (null or "" or "auto" or "containers" or "devstack"))
            throw new InvalidOperationException($"{Variable} is '{mode}'; use auto, containers or devstack");
        var hasRegistry = !string.IsNullOrWhiteSpace(externalRegistry);

        if (!string.IsNullOrWhiteSpace(externalKafka))
        {
            var ignored = asked is null or "" or "auto" ? "" : $"; {Variable}={asked} does not apply";
            return new KafkaChoice(KafkaSource.External, hasRegistry ? KafkaSource.External : KafkaSource.DevStack,
                $"KAFKA_BOOTSTRAP_SERVERS={externalKafka.Trim()}{(hasRegistry ? $", SCHEMA_REGISTRY_URL={externalRegistry!.Trim()}" : "")}{ignored}");
        }
        if (asked == "devstack")
            return Of(KafkaSource.DevStack, $"{Variable}=devstack");

        var docker = await probeDocker();
        if (asked == "containers")
        {
            return docker.Reachable
                ? Of(KafkaSource.Containers, $"{docker.Description}; {Variable}=containers")
                : throw new InvalidOperationException(
                    $"{Variable}=containers, but {docker.Description}. Start Docker (or point DOCKER_HOST at an engine), or set {Variable}=auto or devstack");
        }
        return docker.Reachable ? Of(KafkaSource.Containers, docker.Description) : Of(KafkaSource.DevStack, docker.Description);

        KafkaChoice Of(KafkaSource kafka, string reason) => hasRegistry
            ? new KafkaChoice(kafka, KafkaSource.External, $"{reason}; SCHEMA_REGISTRY_URL={externalRegistry!.Trim()}")
            : new KafkaChoice(kafka, kafka, reason);
    }

    static string Name(KafkaSource source) => source switch
    {
        KafkaSource.External => "external",
        KafkaSource.Containers => "containers",
        _ => "dev stack",
    };
}
