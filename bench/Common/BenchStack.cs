using KafkaCdc.DevStack.Kafka;
using KafkaCdc.DevStack.Postgres;
using KafkaCdc.DevStack.SchemaRegistry;
using Microsoft.Extensions.Logging.Abstractions;

namespace KafkaCdc.Bench.Common;

/// <summary>
/// What a benchmark runs against, all in its own process: a throwaway PostgreSQL server (fsync off), librdkafka's mock
/// cluster with one broker and the dev schema registry. The connectors run as child processes and reach them over TCP.
/// </summary>
public sealed class BenchStack : IAsyncDisposable
{
    BenchStack(TemporaryPostgres postgres, MockKafkaCluster kafka, SchemaRegistryServer registry, int postmasterPid)
    {
        Postgres = postgres;
        Kafka = kafka;
        Registry = registry;
        PostmasterPid = postmasterPid;
    }

    /// <summary>The PostgreSQL server holding every database of the benchmark.</summary>
    public TemporaryPostgres Postgres { get; }

    /// <summary>The mock Kafka cluster.</summary>
    public MockKafkaCluster Kafka { get; }

    /// <summary>The registry server.</summary>
    public SchemaRegistryServer Registry { get; }

    /// <summary>The registry's URL, as the connectors' <c>schema.registry.url</c>.</summary>
    public string RegistryUrl => Registry.Url.ToString().TrimEnd('/');

    /// <summary>The server's postmaster, whose process tree's CPU time is PostgreSQL's.</summary>
    public int PostmasterPid { get; }

    /// <summary>Starts all three.</summary>
    public static async Task<BenchStack> StartAsync()
    {
        var postgres = await TemporaryPostgres.StartAsync();
        var kafka = MockKafkaCluster.Start(1);
        // As a real broker's group.initial.rebalance.delay.ms: a sink's tasks join one generation.
        kafka.SetGroupInitialRebalanceDelay(TimeSpan.FromSeconds(2));
        var registry = await SchemaRegistryServer.StartAsync(new SchemaRegistryServerOptions { Port = 0 }, NullLoggerFactory.Instance, CancellationToken.None);
        int postmaster;
        await using (var connection = await Sql.OpenAsync(postgres.ConnectionString)) postmaster = ProcessStats.PostmasterOf(connection);
        return new BenchStack(postgres, kafka, registry, postmaster);
    }

    /// <summary>The server's connection string for <paramref name="database"/>.</summary>
    public string ConnectionString(string database) =>
        new Npgsql.NpgsqlConnectionStringBuilder(Postgres.ConnectionString) { Database = database }.ConnectionString;

    /// <summary>Stops the registry, the cluster and the server.</summary>
    public async ValueTask DisposeAsync()
    {
        await Registry.DisposeAsync();
        Kafka.Dispose();
        await Postgres.DisposeAsync();
    }
}
