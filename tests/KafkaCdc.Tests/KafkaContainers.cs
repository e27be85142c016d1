using System.Net.Sockets;
using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Containers;
using DotNet.Testcontainers.Networks;
using Testcontainers.Kafka;

namespace KafkaCdc.Tests;

/// <summary>
/// Real Apache Kafka (Confluent Platform's <c>cp-kafka</c>, KRaft, one broker) and a real Confluent Schema Registry in
/// containers, for a test run on a machine with a Docker engine: what the dev stack's mock broker cannot show
/// (CreateTopics, compaction, retention, a real group coordinator) is then exercised by the same tests.
/// </summary>
/// <remarks>
/// Images are pinned to the Confluent Platform version Testcontainers.Kafka 4.17 is built and tested against
/// (<see cref="KafkaBuilder.KafkaImage"/>), the registry to the same version. The registry reaches Kafka over a Docker
/// network of their own (<c>kafka:19092</c>); the tests reach both through mapped ports on the host.
/// </remarks>
internal sealed class KafkaContainers : IAsyncDisposable
{
    /// <summary>The Kafka image.</summary>
    public const string KafkaImage = "confluentinc/cp-kafka:7.5.12";

    /// <summary>The schema registry image, the same Confluent Platform version.</summary>
    public const string SchemaRegistryImage = "confluentinc/cp-schema-registry:7.5.12";

    readonly INetwork _network;
    readonly KafkaContainer _kafka;
    readonly IContainer _registry;

    KafkaContainers(INetwork network, KafkaContainer kafka, IContainer registry)
    {
        _network = network;
        _kafka = kafka;
        _registry = registry;
    }

    /// <summary>Kafka's bootstrap servers, as the host reaches them.</summary>
    public string BootstrapServers => _kafka.GetBootstrapAddress();

    /// <summary>The schema registry's URL, as the host reaches it.</summary>
    public string SchemaRegistryUrl => $"http://{_registry.Hostname}:{_registry.GetMappedPublicPort(8081)}";

    /// <summary>Starts both containers (pulling the images the first time), or throws saying which one failed.</summary>
    public static async Task<KafkaContainers> StartAsync(CancellationToken cancellationToken)
    {
        var network = new NetworkBuilder().WithName($"kafkacdc-tests-{Guid.NewGuid():N}").Build();
        var kafka = new KafkaBuilder(KafkaImage).WithNetwork(network).WithListener("kafka:19092").Build();
        var registry = new ContainerBuilder(SchemaRegistryImage)
            .WithNetwork(network)
            .WithPortBinding(8081, assignRandomHostPort: true)
            .WithEnvironment("SCHEMA_REGISTRY_HOST_NAME", "schema-registry")
            .WithEnvironment("SCHEMA_REGISTRY_LISTENERS", "http://0.0.0.0:8081")
            .WithEnvironment("SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS", "PLAINTEXT://kafka:19092")
            .WithWaitStrategy(Wait.ForUnixContainer().UntilHttpRequestIsSucceeded(request => request.ForPort(8081).ForPath("/subjects")))
            .Build();
        await network.CreateAsync(cancellationToken);
        await kafka.StartAsync(cancellationToken);
        await registry.StartAsync(cancellationToken);
        return new KafkaContainers(network, kafka, registry);
    }

    /// <summary>
    /// Whether a Docker engine answers, and if not why: <c>DOCKER_HOST</c> (unix or tcp), else the usual socket, asked for
    /// <c>/_ping</c> with a short time limit, so that a machine without Docker loses no time here.
    /// </summary>
    public static async Task<(bool Reachable, string Where)> ProbeDockerAsync(string? host, TimeSpan timeout)
    {
        var socketPath = host is null ? "/var/run/docker.sock" : host.StartsWith("unix://", StringComparison.Ordinal) ? host["unix://".Length..] : null;
        if (socketPath is not null && !File.Exists(socketPath)) return (false, $"no Docker engine: {socketPath} does not exist");
        var baseAddress = socketPath is null ? host!.Replace("tcp://", "http://", StringComparison.Ordinal) : "http://docker";
        var handler = new SocketsHttpHandler();
        if (socketPath is not null)
        {
            handler.ConnectCallback = async (_, token) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), token);
                return new NetworkStream(socket, ownsSocket: true);
            };
        }
        using var http = new HttpClient(handler) { BaseAddress = new Uri(baseAddress), Timeout = timeout };
        var where = socketPath is null ? host! : $"unix://{socketPath}";
        try
        {
            var answer = await http.GetStringAsync("/_ping");
            return answer.Trim() == "OK" ? (true, $"Docker at {where}") : (false, $"no Docker engine: {where} answered '{answer.Trim()}' to /_ping");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or SocketException)
        {
            return (false, $"no Docker engine answering at {where}: {e.Message}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _registry.DisposeAsync();
        await _kafka.DisposeAsync();
        await _network.DisposeAsync();
    }
}
