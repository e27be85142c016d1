using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Containers;
using DotNet.Testcontainers.Networks;
using Testcontainers.Kafka;

namespace KafkaCdc.Tests;

/// <summary>
/// Real Apache Kafka (one KRaft node) and a real Confluent Schema Registry in containers, started once for a test run on
/// a machine with a Docker engine (<see cref="KafkaChoice"/>): what the dev stack's mock broker cannot show (CreateTopics
/// and topic configs, compaction, retention, a real group coordinator) is then exercised by the same tests.
/// </summary>
/// <remarks>
/// <para>
/// The images are the ones <c>deploy/compose/docker-compose.yml</c> runs (a test keeps them equal), so the suite tests
/// the Kafka and registry the compose stack ships with; the broker also gets the compose stack's
/// <c>num.partitions=4</c>, which is the mock cluster's auto-create count too. <c>apache/kafka</c> rather than
/// <c>confluentinc/cp-kafka</c>: Testcontainers.Kafka starts Apache's image in KRaft mode by default and Confluent's with
/// an embedded ZooKeeper, and KRaft is what Kafka runs from 4.0 on.
/// </para>
/// <para>
/// The registry reaches Kafka over a Docker network of their own, at the extra listener <c>kafka:19092</c> that
/// <see cref="KafkaBuilder.WithListener"/> adds (with <c>kafka</c> as the broker's network alias); the tests reach both
/// through ports mapped on the Docker host. Testcontainers' resource reaper (Ryuk) removes both containers and the
/// network should the test process die before <see cref="DisposeAsync"/>.
/// </para>
/// </remarks>
internal sealed class KafkaContainers : IAsyncDisposable
{
    /// <summary>The Kafka image.</summary>
    public const string KafkaImage = "apache/kafka:3.9.1";

    /// <summary>The schema registry image.</summary>
    public const string SchemaRegistryImage = "confluentinc/cp-schema-registry:7.9.0";

    /// <summary>The broker's <c>num.partitions</c>: the partition count of topics created with the broker's default.</summary>
    public const int DefaultPartitions = 4;

    /// <summary>How long starting both may take, pulling the images the first time included.</summary>
    public static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(8);

    const string KafkaAlias = "kafka";
    const string InternalListener = KafkaAlias + ":19092";
    const string RegistryAlias = "schema-registry";
    const ushort RegistryPort = 8081;

    readonly INetwork _network;
    readonly KafkaContainer _kafka;
    readonly IContainer? _registry;

    KafkaContainers(INetwork network, KafkaContainer kafka, IContainer? registry)
    {
        _network = network;
        _kafka = kafka;
        _registry = registry;
    }

    /// <summary>Kafka's bootstrap servers as the host reaches them: <c>host:port</c>, as <c>KAFKA_BOOTSTRAP_SERVERS</c> would name them.</summary>
    public string BootstrapServers => $"{_kafka.Hostname}:{_kafka.GetMappedPublicPort(KafkaBuilder.KafkaPort)}";

    /// <summary>The schema registry's URL as the host reaches it, or null when started without one.</summary>
    public string? SchemaRegistryUrl => _registry is null ? null : $"http://{_registry.Hostname}:{_registry.GetMappedPublicPort(RegistryPort)}";

    /// <summary>The images in use, for the run's output.</summary>
    public string Images => _registry is null ? KafkaImage : $"{KafkaImage}, {SchemaRegistryImage}";

    /// <summary>Starts Kafka and, when <paramref name="withRegistry"/>, the schema registry; on failure removes what started.</summary>
    /// <exception cref="InvalidOperationException">A container did not start; the message names it and ends with its log.</exception>
    public static async Task<KafkaContainers> StartAsync(bool withRegistry, CancellationToken cancellationToken)
    {
        var network = new NetworkBuilder().WithName($"kafkacdc-tests-{Guid.NewGuid():N}").Build();
        var kafka = new KafkaBuilder(KafkaImage)
            .WithNetwork(network)
            .WithListener(InternalListener)
            .WithEnvironment("KAFKA_NUM_PARTITIONS", DefaultPartitions.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Build();
        var registry = withRegistry
            ? new ContainerBuilder(SchemaRegistryImage)
                .WithNetwork(network)
                .WithNetworkAliases(RegistryAlias)
                .WithPortBinding(RegistryPort, assignRandomHostPort: true)
                .WithEnvironment("SCHEMA_REGISTRY_HOST_NAME", RegistryAlias)
                .WithEnvironment("SCHEMA_REGISTRY_LISTENERS", $"http://0.0.0.0:{RegistryPort}")
                .WithEnvironment("SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS", $"PLAINTEXT://{InternalListener}")
                .WithWaitStrategy(Wait.ForUnixContainer().UntilHttpRequestIsSucceeded(
                    request => request.ForPort(RegistryPort).ForPath("/subjects"), wait => wait.WithTimeout(TimeSpan.FromMinutes(2))))
                .Build()
            : null;
        var containers = new KafkaContainers(network, kafka, registry);

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(StartTimeout);
        var starting = $"the Docker network {network.Name}";
        try
        {
            await network.CreateAsync(deadline.Token);
            starting = KafkaImage;
            await kafka.StartAsync(deadline.Token);
            if (registry is not null)
            {
                starting = SchemaRegistryImage;
                await registry.StartAsync(deadline.Token);
            }
            return containers;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var log = starting == KafkaImage ? await LogTailAsync(kafka) : starting == SchemaRegistryImage ? await LogTailAsync(registry!) : "";
            await containers.DisposeAsync();
            var what = e is OperationCanceledException ? $"did not start within {StartTimeout.TotalMinutes:0} min (the first run pulls the images)" : $"failed to start: {e.Message}";
            throw new InvalidOperationException(
                $"Kafka in containers: {starting} {what}. Set {KafkaChoice.Variable}=devstack to run on the dev stack instead.{log}", e);
        }
    }

    /// <summary>Removes the containers and the network; each is attempted even when another fails.</summary>
    public async ValueTask DisposeAsync()
    {
        List<Exception> failures = [];
        foreach (var resource in new IAsyncDisposable?[] { _registry, _kafka, _network })
        {
            if (resource is null) continue;
            try
            {
                await resource.DisposeAsync();
            }
            catch (Exception e)
            {
                failures.Add(e);
            }
        }
        if (failures.Count > 0) throw new AggregateException("removing the test run's Kafka containers failed", failures);
    }

    static async Task<string> LogTailAsync(IContainer container)
    {
        try
        {
            var (stdout, stderr) = await container.GetLogsAsync();
            var lines = (stdout + stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            return lines.Length == 0 ? "" : $"\nIts last log lines:\n{string.Join('\n', lines.TakeLast(40))}";
        }
        catch (Exception e)
        {
            return $"\n(its log could not be read: {e.Message})";
        }
    }
}
