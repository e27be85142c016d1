using KafkaCdc.SinkConnector.Hosting;
using KafkaCdc.Tests.SinkConnector.Support;

namespace KafkaCdc.Tests.SinkConnector.Hosting;

/// <summary>The sink's <c>check</c> with <c>ssh.enabled=true</c>: the tunnel is a step of its own, before the destination's.</summary>
public class SinkCheckThroughSshTunnelTests
{
    [Test]
    public async Task Check_ThroughTheTunnel_ShowsTheSshStepThenConnectsThroughIt()
    {
        await using var server = await SshServer.StartNewAsync();
        var destination = await SinkDestination.CreateAsync("sink_check_ssh");
        var config = SinkConfigs.For(destination, TestEnvironment.UniqueName("ssh_checked"));
        foreach (var (key, value) in server.TunnelConfig()) config[key] = value;
        using var output = new StringWriter();

        await SinkCheck.RunAsync(SinkConfigs.Options(config), output, new RecordingLoggerFactory(), CancellationToken.None);

        var lines = output.ToString().Split(Environment.NewLine).ToList();
        var tunnel = lines.FindIndex(l => l.StartsWith("PASS SSH tunnel through", StringComparison.Ordinal));
        var connect = lines.FindIndex(l => l.StartsWith("PASS connect to", StringComparison.Ordinal));
        Assert.Multiple(() =>
        {
            Assert.That(tunnel, Is.Not.Negative, output.ToString());
            Assert.That(lines[tunnel], Does.Contain($"{SshServer.User}@127.0.0.1:{server.Port}").And.Contain($"to {destination.Host}:{destination.Port}"));
            Assert.That(lines[tunnel + 1], Does.Contain("host key ssh-ed25519 SHA256:").And.Contain($"verified in {server.KnownHostsPath}"));
            Assert.That(connect, Is.GreaterThan(tunnel), $"the destination is reached through the tunnel:\n{output}");
            Assert.That(lines[connect], Does.Contain("through SSH"));
            Assert.That(output.ToString(), Does.Contain("PASS USAGE and CREATE on schema"));
        });
    }

    [Test]
    public async Task Check_UnknownHostKey_FailsTheSshStepNamingKnownHosts_AndSkipsTheDestination()
    {
        await using var server = await SshServer.StartNewAsync();
        var destination = await SinkDestination.CreateAsync("sink_check_ssh_host");
        var config = SinkConfigs.For(destination, TestEnvironment.UniqueName("ssh_checked"));
        foreach (var (key, value) in server.TunnelConfig()) config[key] = value;
        config["ssh.known.hosts"] = server.OtherKnownHostsPath;
        using var output = new StringWriter();

        var passed = await SinkCheck.RunAsync(SinkConfigs.Options(config), output, new RecordingLoggerFactory(), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(passed, Is.False);
            Assert.That(output.ToString(), Does.Contain("FAIL SSH tunnel through").And.Contain(": ssh.known.hosts: host key of"));
            Assert.That(output.ToString(), Does.Contain("FAIL connect to").And.Contain("not checked: no SSH tunnel"));
        });
    }
}
