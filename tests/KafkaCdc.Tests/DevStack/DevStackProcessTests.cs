using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using Confluent.Kafka;
using KafkaCdc.DevStack;
using KafkaCdc.DevStack.Admin;
using Npgsql;

namespace KafkaCdc.Tests.DevStack;

/// <summary>The DevStack executable as a process of its own (a second one, next to the test run's).</summary>
public class DevStackProcessTests
{
    static readonly TimeSpan s_startTimeout = TimeSpan.FromSeconds(60);

    [Test]
    public async Task SigTerm_RunningStack_EnvFileServedEndpointsAndExitsZeroStoppingAll()
    {
        await using var devStack = await DevStackProcess.StartAsync(["--brokers", "2", "--postgres"], s_startTimeout);
        var variables = devStack.Variables;

        Assert.That(variables.Keys, Is.EquivalentTo(new[]
        {
            DevStackVariables.KafkaBootstrapServers, DevStackVariables.AdminUrl, DevStackVariables.SchemaRegistryUrl,
            DevStackVariables.PostgresConnectionString, DevStackVariables.PgHost, DevStackVariables.PgPort, DevStackVariables.PgUser, DevStackVariables.PgPassword, DevStackVariables.PgDatabase,
        }));
        var bootstrap = variables[DevStackVariables.KafkaBootstrapServers];
        using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrap }).Build())
            Assert.That(admin.GetMetadata(TimeSpan.FromSeconds(10)).Brokers, Has.Count.EqualTo(2));
        using (var adminEndpoint = new DevStackAdminClient(new Uri(variables[DevStackVariables.AdminUrl])))
            Assert.That(await adminEndpoint.GetBrokersAsync(), Has.Count.EqualTo(2));
        using (var http = new HttpClient())
            Assert.That(await http.GetStringAsync(variables[DevStackVariables.SchemaRegistryUrl] + "/subjects"), Is.EqualTo("[]"));
        var connectionString = variables[DevStackVariables.PostgresConnectionString];
        Assert.That(variables[DevStackVariables.PgPort], Is.EqualTo(new NpgsqlConnectionStringBuilder(connectionString).Port.ToString(CultureInfo.InvariantCulture)));
        await using (var connection = new NpgsqlConnection(connectionString))
            await connection.OpenAsync();

        var exitCode = await devStack.StopAsync(TimeSpan.FromSeconds(20));

        Assert.That(exitCode, Is.Zero, devStack.Output);
        Assert.That(File.Exists(devStack.EnvFilePath), Is.False, "env file removed on stop");
        var kafkaPort = int.Parse(bootstrap.Split(',')[0].Split(':')[1], CultureInfo.InvariantCulture);
        using var socket = new TcpClient();
        Assert.Throws<SocketException>(() => socket.Connect("127.0.0.1", kafkaPort), "Kafka listener closed");
        await using var after = new NpgsqlConnection(connectionString + ";Timeout=2");
        Assert.ThrowsAsync<NpgsqlException>(() => after.OpenAsync(), "PostgreSQL stopped");
        using var registryAfter = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        Assert.ThrowsAsync<HttpRequestException>(() => registryAfter.GetStringAsync(variables[DevStackVariables.SchemaRegistryUrl] + "/subjects"),
            "schema registry stopped");
    }

    [Test]
    public async Task ParentPid_ParentExits_DevStackStopsOnItsOwn()
    {
        using var parent = Process.Start(new ProcessStartInfo("sleep", "300") { UseShellExecute = false })!;
        await using var devStack = await DevStackProcess.StartAsync(
            ["--brokers", "1", "--parent-pid", parent.Id.ToString(CultureInfo.InvariantCulture)], s_startTimeout);

        parent.Kill();
        await parent.WaitForExitAsync();

        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        try
        {
            await devStack.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"timed out after 15s waiting for the dev stack to notice its parent exited; output:\n{devStack.Output}");
        }
        Assert.That(devStack.ExitCode, Is.Zero, devStack.Output);
        Assert.That(devStack.Output, Does.Contain($"Parent process {parent.Id} exited"));
    }

    [Test]
    public async Task BadOption_ExitsTwoWithUsage()
    {
        var exception = Assert.ThrowsAsync<InvalidOperationException>(() => DevStackProcess.StartAsync(["--brokerz", "2"], s_startTimeout));

        Assert.That(exception!.Message, Does.Contain("exited with 2").And.Contain("unknown option --brokerz").And.Contain("Usage:"));
        await Task.CompletedTask;
    }
}
