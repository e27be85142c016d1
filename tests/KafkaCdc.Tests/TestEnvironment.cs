using System.Security.Cryptography;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using KafkaCdc.DevStack;
using KafkaCdc.DevStack.Admin;
using Npgsql;

namespace KafkaCdc.Tests;

/// <summary>
/// The servers the tests run against, set up once per test run by <see cref="TestEnvironmentSetUp"/>: one dev stack
/// child process (throwaway PostgreSQL, mock Kafka cluster with its admin endpoint, schema registry), with Kafka and the
/// registry taken from containers instead where a Docker engine answers (<see cref="KafkaChoice"/>,
/// <see cref="KafkaContainers"/>; <c>KCDC_TEST_KAFKA</c> overrides). Environment variables replace parts with external
/// services: <c>KAFKA_BOOTSTRAP_SERVERS</c>, <c>SCHEMA_REGISTRY_URL</c>, <c>KCDC_TEST_PG</c> (an Npgsql connection string of a
/// superuser). When all three are set no dev stack is started. The run's output says once which Kafka and registry it
/// uses and why (<see cref="KafkaChoice.Line"/>).
/// </summary>
public static class TestEnvironment
{
    static readonly string s_runId = Convert.ToHexString(RandomNumberGenerator.GetBytes(3)).ToLowerInvariant();
    static readonly List<string> s_databases = [];
    static int s_nameCounter;
    static DevStackProcess? s_devStack;
    static KafkaContainers? s_containers;
    static KafkaChoice? s_choice;
    static string? s_kafkaBootstrapServers;
    static string? s_postgresConnectionString;

    /// <summary>The Kafka cluster's bootstrap servers.</summary>
    public static string KafkaBootstrapServers => s_kafkaBootstrapServers ?? throw NotSetUp();

    /// <summary>The schema registry's URL, or null while none is available (see <see cref="RequireSchemaRegistryUrl"/>).</summary>
    public static string? SchemaRegistryUrl { get; private set; }

    /// <summary>A superuser connection string of the PostgreSQL server (database <c>postgres</c>).</summary>
    public static string PostgresConnectionString => s_postgresConnectionString ?? throw NotSetUp();

    /// <summary>
    /// The dev stack's fault-injection endpoint, or null when Kafka is external (see <see cref="RequireDevStackAdmin"/>).
    /// </summary>
    public static DevStackAdminClient? DevStackAdmin { get; private set; }

    /// <summary>Whether Kafka is the dev stack's mock cluster (which has quirks tests may need to allow for).</summary>
    public static bool IsMockKafka => DevStackAdmin is not null;

    /// <summary>The schema registry's URL; fails the test when there is none.</summary>
    public static string RequireSchemaRegistryUrl() =>
        SchemaRegistryUrl ?? throw new AssertionException(
            $"this test needs a schema registry: set SCHEMA_REGISTRY_URL, or use a dev stack that hosts one (none published {DevStackVariables.SchemaRegistryUrl})");

    /// <summary>The dev stack's admin endpoint; ignores the test when Kafka is not the dev stack's (containers, external).</summary>
    public static DevStackAdminClient RequireDevStackAdmin()
    {
        if (DevStackAdmin is null)
        {
            Assert.Ignore("fault injection (broker down/up, latency, request errors) needs the dev stack's mock Kafka cluster; this run's Kafka is " +
                (Choice.Kafka == KafkaSource.Containers ? "in containers" : "external (KAFKA_BOOTSTRAP_SERVERS)"));
        }
        return DevStackAdmin!;
    }

    /// <summary>
    /// Ignores the test on the dev stack's mock cluster, which lacks what the test is about (<paramref name="what"/>):
    /// the test runs against real Kafka, in containers or external.
    /// </summary>
    public static void RequireRealKafka(string what)
    {
        if (IsMockKafka)
            Assert.Ignore($"the dev stack's mock Kafka cluster has no {what}; this runs against real Kafka (a Docker engine, or KAFKA_BOOTSTRAP_SERVERS)");
    }

    /// <summary>
    /// A name unique to this run and call, usable as a Kafka topic, replication slot, table or database name:
    /// lower-case letters, digits and underscores, at most 63 characters.
    /// </summary>
    public static string UniqueName(string prefix)
    {
        var suffix = $"_{s_runId}_{Interlocked.Increment(ref s_nameCounter)}";
        var clean = new string(prefix.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_').ToArray());
        return clean[..Math.Min(clean.Length, 63 - suffix.Length)] + suffix;
    }

    /// <summary>Creates a uniquely named database, dropped at the end of the run.</summary>
    /// <returns>A connection string for it (same server and user as <see cref="PostgresConnectionString"/>).</returns>
    public static Task<string> CreateDatabaseAsync(string prefix, CancellationToken cancellationToken = default) =>
        CreateDatabaseAsync(prefix, server: null, cancellationToken);

    /// <summary>
    /// Creates a uniquely named database on <paramref name="server"/> (a superuser connection string of a server a test
    /// started, which goes with its data), or on the run's server when null (then dropped at the end of the run).
    /// </summary>
    /// <returns>A connection string for it (same server and user).</returns>
    public static async Task<string> CreateDatabaseAsync(string prefix, string? server, CancellationToken cancellationToken = default)
    {
        var name = UniqueName(prefix);
        await using (var connection = new NpgsqlConnection(server ?? PostgresConnectionString))
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        if (server is null) lock (s_databases) s_databases.Add(name);
        return new NpgsqlConnectionStringBuilder(server ?? PostgresConnectionString) { Database = name }.ConnectionString;
    }

    /// <summary>
    /// Creates a topic with <paramref name="partitions"/> partitions: through the dev stack on the mock cluster
    /// (which has no CreateTopics API), through the admin API elsewhere.
    /// </summary>
    public static async Task CreateTopicAsync(string topic, int partitions, CancellationToken cancellationToken = default)
    {
        if (DevStackAdmin is not null)
        {
            await DevStackAdmin.CreateTopicAsync(topic, partitions, cancellationToken);
            return;
        }
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = KafkaBootstrapServers }).Build();
        var timeout = TimeSpan.FromSeconds(30);
        await admin.CreateTopicsAsync([new TopicSpecification { Name = topic, NumPartitions = partitions, ReplicationFactor = -1 }],
            new CreateTopicsOptions { RequestTimeout = timeout, OperationTimeout = timeout }).WaitAsync(cancellationToken);
    }

    /// <summary>Where Kafka and the registry come from in this run, and why.</summary>
    public static KafkaChoice Choice => s_choice ?? throw NotSetUp();

    internal static async Task StartAsync()
    {
        var kafka = Environment.GetEnvironmentVariable(DevStackVariables.KafkaBootstrapServers);
        var registry = Environment.GetEnvironmentVariable(DevStackVariables.SchemaRegistryUrl);
        var postgres = Environment.GetEnvironmentVariable(DevStackVariables.PostgresConnectionString);
        var choice = await KafkaChoice.DecideAsync(kafka, registry, Environment.GetEnvironmentVariable(KafkaChoice.Variable),
            () => DockerEngine.ProbeAsync(DockerEngine.DefaultTimeout, CancellationToken.None));
        var line = choice.Line;
        if (choice.Kafka == KafkaSource.Containers)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            s_containers = await KafkaContainers.StartAsync(withRegistry: choice.Registry == KafkaSource.Containers, CancellationToken.None);
            kafka = s_containers.BootstrapServers;
            registry = s_containers.SchemaRegistryUrl ?? registry;
            line += $"; {s_containers.Images} up in {clock.Elapsed.TotalSeconds:0.#}s";
        }
        if (string.IsNullOrEmpty(kafka) || string.IsNullOrEmpty(registry) || string.IsNullOrEmpty(postgres))
        {
            List<string> arguments = ["--parent-pid", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)];
            if (string.IsNullOrEmpty(postgres)) arguments.Add("--postgres");
            try
            {
                s_devStack = await DevStackProcess.StartAsync(arguments, TimeSpan.FromSeconds(60));
            }
            catch
            {
                // NUnit runs no one-time teardown after a failed one-time setup.
                if (s_containers is not null) await s_containers.DisposeAsync();
                s_containers = null;
                throw;
            }
            var variables = s_devStack.Variables;
            if (string.IsNullOrEmpty(kafka))
            {
                kafka = variables[DevStackVariables.KafkaBootstrapServers];
                DevStackAdmin = new DevStackAdminClient(new Uri(variables[DevStackVariables.AdminUrl]));
            }
            if (string.IsNullOrEmpty(registry)) registry = variables.GetValueOrDefault(DevStackVariables.SchemaRegistryUrl);
            if (string.IsNullOrEmpty(postgres)) postgres = variables[DevStackVariables.PostgresConnectionString];
        }
        s_choice = choice;
        s_kafkaBootstrapServers = kafka;
        SchemaRegistryUrl = string.IsNullOrEmpty(registry) ? null : registry;
        s_postgresConnectionString = postgres;
        Report(line);
    }

    /// <summary>Drops the replication slots this run's tests left behind and says which (<see cref="ReplicationSlotLeaks"/>).</summary>
    internal static async Task<IReadOnlyList<string>> DropLeakedReplicationSlotsAsync()
    {
        if (s_postgresConnectionString is null) return [];
        List<string> databases;
        lock (s_databases) databases = [.. s_databases];
        return await ReplicationSlotLeaks.DropAsync(s_postgresConnectionString, databases, s_runId);
    }

    internal static async Task StopAsync()
    {
        try
        {
            await DropDatabasesAsync();
        }
        finally
        {
            DevStackAdmin?.Dispose();
            DevStackAdmin = null;
            try
            {
                if (s_containers is not null) await s_containers.DisposeAsync();
            }
            finally
            {
                s_containers = null;
                await StopDevStackAsync();
            }
        }
    }

    static async Task StopDevStackAsync()
    {
        if (s_devStack is null) return;
        var exitCode = await s_devStack.StopAsync(TimeSpan.FromSeconds(20));
        var output = s_devStack.Output;
        s_devStack = null;
        if (exitCode != 0)
            Report($"The dev stack did not stop cleanly (exit code {exitCode?.ToString() ?? "none: killed"}); its output:\n{output}");
    }

    /// <summary>The variable naming a file that gets the harness's own lines (scripts/test.sh prints it after the run).</summary>
    public const string HarnessLogVariable = "KCDC_TEST_HARNESS_LOG";

    /// <summary>
    /// A line about the run as a whole: to NUnit's progress output (shown by <c>dotnet test</c> only at normal verbosity),
    /// and appended to the file <see cref="HarnessLogVariable"/> names.
    /// </summary>
    static void Report(string line)
    {
        TestContext.Progress.WriteLine(line);
        var file = Environment.GetEnvironmentVariable(HarnessLogVariable);
        if (!string.IsNullOrEmpty(file)) File.AppendAllText(file, line + Environment.NewLine);
    }

    static async Task DropDatabasesAsync()
    {
        List<string> names;
        lock (s_databases) names = [.. s_databases];
        if (names.Count == 0 || s_postgresConnectionString is null) return;
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(s_postgresConnectionString);
        await connection.OpenAsync();
        foreach (var name in names)
        {
            await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
            await command.ExecuteNonQueryAsync();
        }
        lock (s_databases) s_databases.Clear();
    }

    static InvalidOperationException NotSetUp() =>
        new("the test environment is not set up: tests must live in the KafkaCdc.Tests namespace so TestEnvironmentSetUp runs first");
}
