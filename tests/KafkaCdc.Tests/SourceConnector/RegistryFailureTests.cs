using System.Net;
using System.Net.Sockets;
using Confluent.SchemaRegistry;
using KafkaCdc.DevStack.SchemaRegistry;
using KafkaCdc.SourceConnector.Status;
using Microsoft.Extensions.Logging.Abstractions;

namespace KafkaCdc.Tests.SourceConnector;

/// <summary>
/// The source against a registry of its own (the dev stack's, in-process): one that is down at start-up is retried
/// (transient: the runner reconnects) until it answers; one that refuses the credentials stops the connector with a
/// message that names the setting and never the secret.
/// </summary>
public class RegistryFailureTests
{
    const string User = "connector";
    const string Password = "right-Pa55word";
    const string WrongPassword = "wrong-Pa55word";
    static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);

    [Test]
    public async Task Start_RegistryDownForAFewSeconds_RetriesThenStreams()
    {
        await using var database = await SourceTestDatabase.CreateAsync("regdown", "CREATE TABLE orders (id integer PRIMARY KEY, v text)");
        var port = FreePort();
        var config = database.Config();
        config["schema.registry.url"] = $"http://127.0.0.1:{port}";
        await using var connector = InProcessConnector.Start(config);

        await connector.WaitForStateAsync(ConnectorState.Retrying, s_timeout);
        Assert.That(connector.Status.Error, Does.Contain($"127.0.0.1:{port}"), "the retry names the registry it could not reach");

        await using var registry = await SchemaRegistryServer.StartAsync(new SchemaRegistryServerOptions { Port = port }, NullLoggerFactory.Instance, CancellationToken.None);
        await connector.WaitForStateAsync(ConnectorState.Streaming, s_timeout);
        await database.ExecuteAsync("INSERT INTO orders VALUES (1, 'after the outage')");

        using var client = new CachedSchemaRegistryClient(new SchemaRegistryConfig { Url = registry.Url.ToString() });
        var subject = database.Topic("orders") + "-value";
        await Poll.UntilAsync(async () => (await client.GetAllSubjectsAsync()).Contains(subject), s_timeout,
            $"{subject} registered once the registry answered (connector log:\n{connector.Log})");
        Assert.That(connector.Exit.IsCompleted, Is.False, "the connector still runs");
    }

    [Test]
    public async Task Start_WrongRegistryPassword_StopsNamingTheSettingNotTheSecret()
    {
        await using var registry = await StartRegistryWithCredentialsAsync();
        await using var database = await SourceTestDatabase.CreateAsync("regauth");
        var config = database.Config();
        config["schema.registry.url"] = registry.Url.ToString();
        config["schema.registry.basic.auth.user.info"] = $"{User}:{WrongPassword}";
        await using var connector = InProcessConnector.Start(config);

        await connector.WaitForStateAsync(ConnectorState.Failed, s_timeout);

        Assert.That(await connector.Exit, Is.EqualTo(1));
        Assert.That(connector.Status.Error, Does.Contain("heartbeat").And.Contain("HTTP 401").And.Contain("schema.registry.basic.auth.user.info"));
        AssertNoSecret(connector.Status.Error + connector.Log);
    }

    [Test]
    public async Task TableSchema_WrongRegistryPassword_StopsNamingTableSubjectAndSetting()
    {
        await using var registry = await StartRegistryWithCredentialsAsync();
        await using var database = await SourceTestDatabase.CreateAsync("regauthrec", "CREATE TABLE orders (id integer PRIMARY KEY, v text)");
        var config = database.Config();
        config["heartbeat.interval.ms"] = "0";
        config["schema.registry.url"] = registry.Url.ToString();
        config["schema.registry.basic.auth.user.info"] = $"{User}:{WrongPassword}";
        await using var connector = InProcessConnector.Start(config);

        // The table's schemas are registered before its first snapshot row or, without a snapshot, its first change.
        await Poll.UntilAsync(() => connector.Status.State is ConnectorState.Streaming or ConnectorState.Failed, s_timeout,
            $"the connector to stream or stop (log:\n{connector.Log})");
        if (connector.Status.State == ConnectorState.Streaming) await database.ExecuteAsync("INSERT INTO orders VALUES (1, 'x')");
        await connector.WaitForStateAsync(ConnectorState.Failed, s_timeout);

        Assert.That(await connector.Exit, Is.EqualTo(1));
        Assert.That(connector.Status.Error, Does.StartWith("The schema registry refused to register the")
            .And.Contain("\"orders\"").And.Contain(database.Topic("orders") + "-").And.Contain("schema.registry.basic.auth.user.info"));
        AssertNoSecret(connector.Status.Error + connector.Log);
    }

    static Task<SchemaRegistryServer> StartRegistryWithCredentialsAsync() =>
        SchemaRegistryServer.StartAsync(new SchemaRegistryServerOptions { BasicAuthUser = User, BasicAuthPassword = Password },
            NullLoggerFactory.Instance, CancellationToken.None);

    static void AssertNoSecret(string text)
    {
        var encoded = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{User}:{WrongPassword}"));
        Assert.That(text, Does.Not.Contain(WrongPassword).And.Not.Contain(encoded).And.Not.Contain(Password));
    }

    /// <summary>A port nothing listens on (for now): the registry starts there later.</summary>
    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
