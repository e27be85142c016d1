using KafkaCdc.SourceConnector.Status;
using KafkaCdc.Tests.SinkConnector.Support;
using KafkaCdc.Tests.SourceConnector;

namespace KafkaCdc.Tests.Pipeline;

/// <summary>
/// Source and sink both reach PostgreSQL only through a real sshd (<see cref="SshServer"/>): the stream flows through the
/// tunnel, and when the SSH server and its sessions are killed mid-stream and started again, both connectors open the
/// tunnel again, the source resumes from its slot, and the destination ends up equal to the source.
/// </summary>
public class SshTunnelPipelineTests
{
    static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(120);

    [Test]
    public async Task StreamingThroughTheTunnel_SshServerKilledMidStream_ResumesFromTheSlot_DestinationEqualsSource()
    {
        await using var server = await SshServer.StartNewAsync();
        await using var source = await SourceTestDatabase.CreateAsync("pipeline_ssh", "CREATE TABLE source_rows (id integer PRIMARY KEY, v text, n integer)");
        var destination = await SinkDestination.CreateAsync("pipeline_ssh_dst");
        var sourceConfig = source.Config();
        foreach (var (key, value) in server.TunnelConfig()) sourceConfig[key] = value;
        await using var connector = await InProcessConnector.StartStreamingAsync(sourceConfig);
        var topic = source.Topic("source_rows");
        await source.ExecuteAsync("INSERT INTO source_rows SELECT i, 'row ' || i, 0 FROM generate_series(1, 300) i");
        var sinkConfig = SinkConfigs.For(destination, topic);
        foreach (var (key, value) in server.TunnelConfig()) sinkConfig[key] = value;
        await using var sink = InProcessSink.Start(sinkConfig);
        await UntilEqualAsync(source, destination, topic, "the first rows, through the tunnel", connector, sink);
        Assert.That(connector.Log, Does.Contain("SSH tunnel: connected to").And.Contain("forwarding 127.0.0.1:"));

        // A workload of small transactions runs on (the test reaches the source directly); the SSH server dies in its middle.
        var written = 0;
        var workload = Task.Run(async () =>
        {
            for (var i = 1; i <= 200; i++)
            {
                await source.ExecuteAsync($"""
                    UPDATE source_rows SET n = n + 1, v = 'update {i}' WHERE id = {i % 300 + 1};
                    INSERT INTO source_rows VALUES ({1000 + i}, 'insert {i}', {i});
                    DELETE FROM source_rows WHERE id = {(i * 7) % 300 + 1};
                    """);
                Interlocked.Increment(ref written);
            }
        });
        await Poll.UntilAsync(() => Volatile.Read(ref written) >= 50 || workload.IsCompleted, s_timeout, "the workload to be under way");
        server.Kill();
        await Poll.UntilAsync(() => connector.Status.Restarts > 0, s_timeout,
            () => $"the source to notice that the tunnel is gone (state {connector.Status.State}); its log:\n{connector.Log}");
        await server.StartAsync();
        await workload;

        await UntilEqualAsync(source, destination, topic, "the workload, with the SSH server killed and started again in its middle", connector, sink);
        Assert.Multiple(() =>
        {
            Assert.That(connector.Status.State, Is.EqualTo(ConnectorState.Streaming));
            Assert.That(Opened(connector.Log), Is.GreaterThanOrEqualTo(2), "the source opened the tunnel again");
            Assert.That(Opened(sink.Logging.Text), Is.GreaterThanOrEqualTo(2), "the sink opened its own tunnel again");
            Assert.That(connector.Exit.IsCompleted || sink.Exit.IsCompleted, Is.False, "both connectors still run");
        });
    }

    [Test]
    public async Task RefusedKey_BothConnectorsStop_NamingTheSetting_WithoutTheKey()
    {
        await using var server = await SshServer.StartNewAsync();
        await using var source = await SourceTestDatabase.CreateAsync("pipeline_ssh_key");
        var destination = await SinkDestination.CreateAsync("pipeline_ssh_key_dst");
        var sourceConfig = source.Config();
        foreach (var (key, value) in server.TunnelConfig()) sourceConfig[key] = value;
        sourceConfig["ssh.private.key"] = server.WrongKeyPath;
        var sinkConfig = SinkConfigs.For(destination, source.Topic("none"));
        foreach (var (key, value) in server.TunnelConfig()) sinkConfig[key] = value;
        sinkConfig["ssh.private.key"] = await File.ReadAllTextAsync(server.WrongKeyPath);

        await using var connector = InProcessConnector.Start(sourceConfig);
        await using var sink = InProcessSink.Start(sinkConfig);

        Assert.That(await connector.Exit.WaitAsync(s_timeout), Is.EqualTo(1), connector.Log);
        Assert.That(await sink.Exit.WaitAsync(s_timeout), Is.EqualTo(1), sink.Logging.Text);
        Assert.Multiple(() =>
        {
            Assert.That(connector.Status.Error, Does.StartWith($"ssh.private.key: the SSH server 127.0.0.1:{server.Port} refused the key"));
            Assert.That(sink.Worker.Failure!.Message, Does.Contain("ssh.private.key: the SSH server").And.Contain("refused the key (inline)"));
        });
        Shared.Ssh.SshTunnelOptionsTests.AssertNoSecret([connector.Log, sink.Logging.Text], await File.ReadAllTextAsync(server.WrongKeyPath));
    }

    static int Opened(string log) => log.Split("SSH tunnel: connected to").Length - 1;

    static Task UntilEqualAsync(SourceTestDatabase source, SinkDestination destination, string table, string what,
        InProcessConnector connector, InProcessSink sink) =>
        PipelineCompare.UntilEqualAsync(source, "source_rows", destination, table, what, connector, sink, s_timeout);
}
