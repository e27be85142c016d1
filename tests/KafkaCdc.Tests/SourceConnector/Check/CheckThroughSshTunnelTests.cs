using KafkaCdc.Shared.Configuration;
using KafkaCdc.SourceConnector.Check;
using KafkaCdc.SourceConnector.Configuration;

namespace KafkaCdc.Tests.SourceConnector.Check;

/// <summary>The source's <c>check</c> with <c>ssh.enabled=true</c>: the tunnel is a step of its own, before the database's.</summary>
public class CheckThroughSshTunnelTests
{
    [Test]
    public async Task Check_ThroughTheTunnel_ShowsTheSshStepThenChecksTheDatabaseThroughIt()
    {
        await using var server = await SshServer.StartNewAsync();
        await using var database = await SourceTestDatabase.CreateAsync("checkssh", "CREATE TABLE keyed (id integer PRIMARY KEY)");
        var config = database.Config();
        foreach (var (key, value) in server.TunnelConfig()) config[key] = value;

        var results = await CheckAsync(config);

        var items = results.Select(r => r.Item).ToList();
        var tunnel = results.Single(r => r.Item == "SSH tunnel");
        Assert.Multiple(() =>
        {
            Assert.That(tunnel.Passed, Is.True, tunnel.ToString());
            Assert.That(tunnel.Detail, Does.Contain($"{SshServer.User}@127.0.0.1:{server.Port}").And.Contain("host key ssh-ed25519 SHA256:")
                .And.Contain($"verified in {server.KnownHostsPath}").And.Contain($"to {config["database.hostname"]}:{config["database.port"]}"));
            Assert.That(items.IndexOf("SSH tunnel"), Is.LessThan(items.IndexOf("connection")), "the tunnel is checked before the database");
            Assert.That(results.Single(r => r.Item == "connection").Passed, Is.True, "the database answers through the tunnel");
            Assert.That(server.Output, Does.Contain("Accepted publickey"), "sshd let the check in");
        });
    }

    [Test]
    public async Task Check_WrongKey_FailsTheSshStepNamingTheSetting_AndSkipsTheDatabase()
    {
        await using var server = await SshServer.StartNewAsync();
        await using var database = await SourceTestDatabase.CreateAsync("checksshkey");
        var config = database.Config();
        foreach (var (key, value) in server.TunnelConfig()) config[key] = value;
        config["ssh.private.key"] = server.WrongKeyPath;

        var results = await CheckAsync(config);

        var tunnel = results.Single(r => r.Item == "SSH tunnel");
        Assert.Multiple(() =>
        {
            Assert.That(tunnel.Passed, Is.False);
            Assert.That(tunnel.Detail, Does.StartWith("ssh.private.key: the SSH server").And.Contain("refused the key"));
            Assert.That(results.Select(r => r.Item), Has.None.EqualTo("connection"), "no database check without the tunnel");
        });
    }

    static Task<IReadOnlyList<CheckResult>> CheckAsync(Dictionary<string, string> config) =>
        PrerequisiteCheck.CheckAsync(SourceOptions.Read(new ConfigReader(RawConfig.FromPairs(config), new Dictionary<string, string>())), CancellationToken.None);
}
