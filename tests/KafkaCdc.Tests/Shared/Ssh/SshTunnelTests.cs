using System.Globalization;
using KafkaCdc.Shared.Configuration;
using KafkaCdc.Shared.Failures;
using KafkaCdc.Shared.Postgres;
using KafkaCdc.Shared.Ssh;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace KafkaCdc.Tests.Shared.Ssh;

/// <summary>
/// The tunnel against a real sshd (<see cref="SshServer"/>) in front of the run's PostgreSQL: queries go through it,
/// the key and host key are checked with clear errors naming the setting (and no secret), and a killed session is
/// opened again on the same local port.
/// </summary>
public class SshTunnelTests
{
    static readonly PgConnectionKeys s_keys = PgConnectionKeys.WithTlsPrefix("db.", "db.host", "db.port", "db.user", "db.password", "db.name");
    SshServer _server = null!;

    [SetUp]
    public async Task StartServer() => _server = await SshServer.StartNewAsync();

    [TearDown]
    public async Task StopServer() => await _server.DisposeAsync();

    [Test]
    public async Task Query_ThroughTheTunnel_ReachesTheDatabase_FromTheSshServer()
    {
        var logger = new RecordingLogger();
        using var tunnel = Settings().Tunnel!;
        var info = await tunnel.EnsureOpenAsync(logger, CancellationToken.None);

        var database = new NpgsqlConnectionStringBuilder(TestEnvironment.PostgresConnectionString);
        Assert.Multiple(() =>
        {
            Assert.That(info.HostKeyVerified, Is.True);
            Assert.That(info.HostKey, Does.StartWith("ssh-ed25519 SHA256:"));
            Assert.That(info.Describe(), Does.Contain($"{SshServer.User}@127.0.0.1:{_server.Port}").And.Contain($"verified in {_server.KnownHostsPath}")
                .And.Contain($"forwarding 127.0.0.1:{tunnel.LocalPort} to {database.Host}:{database.Port}"));
            Assert.That(tunnel.LocalPort, Is.Not.EqualTo(database.Port));
            Assert.That(Text(logger), Does.Contain("SSH tunnel: connected to"));
        });
        Assert.That(await QueryAsync(Settings(tunnel)), Is.EqualTo("postgres"));
        Assert.That(_server.Output, Does.Contain("direct-tcpip").Or.Contain("Accepted publickey"), "sshd saw the session");
    }

    [Test]
    public async Task EncryptedKey_WithItsPassphrase_Connects()
    {
        using var tunnel = Settings(("ssh.private.key", _server.EncryptedKeyPath), ("ssh.private.key.passphrase", _server.Passphrase)).Tunnel!;
        await tunnel.EnsureOpenAsync(NullLoggerFor.Test, CancellationToken.None);
        Assert.That(await QueryAsync(Settings(tunnel)), Is.EqualTo("postgres"));
    }

    [Test]
    public async Task WrongKey_IsPermanent_NamingTheKeySetting_WithoutTheKey()
    {
        var failure = await OpenFailureAsync(("ssh.private.key", _server.WrongKeyPath));
        Assert.Multiple(() =>
        {
            Assert.That(failure.Kind, Is.EqualTo(FailureKind.Permanent));
            Assert.That(failure.Message, Does.StartWith($"ssh.private.key: the SSH server 127.0.0.1:{_server.Port} refused the key (file '{_server.WrongKeyPath}') for user {SshServer.User}"));
        });
        SshTunnelOptionsTests.AssertNoSecret([failure.ToString()], File.ReadAllText(_server.WrongKeyPath));
    }

    [Test]
    public async Task EncryptedKey_Refused_MessageHasNoPassphrase()
    {
        // The key decrypts, but this server knows only the unencrypted one: the message must not carry the passphrase.
        await File.WriteAllTextAsync(Path.Combine(Path.GetDirectoryName(_server.KeyPath)!, "authorized_keys"), await File.ReadAllTextAsync(_server.KeyPath + ".pub"));
        var failure = await OpenFailureAsync(("ssh.private.key", _server.EncryptedKeyPath), ("ssh.private.key.passphrase", _server.Passphrase));
        Assert.That(failure.Setting, Is.EqualTo("ssh.private.key"));
        SshTunnelOptionsTests.AssertNoSecret([failure.ToString()], _server.Passphrase, File.ReadAllText(_server.EncryptedKeyPath));
    }

    [Test]
    public async Task UnknownHostKey_IsPermanent_NamingKnownHostsAndTheFingerprint()
    {
        var empty = Path.Combine(Path.GetDirectoryName(_server.KnownHostsPath)!, "known_hosts_empty");
        await File.WriteAllTextAsync(empty, "# nothing yet\n");
        var failure = await OpenFailureAsync(("ssh.known.hosts", empty));
        Assert.Multiple(() =>
        {
            Assert.That(failure.Kind, Is.EqualTo(FailureKind.Permanent));
            Assert.That(failure.Message, Does.StartWith($"ssh.known.hosts: host key of 127.0.0.1:{_server.Port} (ssh-ed25519 SHA256:").And.Contain($"is not in {empty}"));
        });
    }

    [Test]
    public async Task ChangedHostKey_IsPermanent_SayingItDoesNotMatch()
    {
        var failure = await OpenFailureAsync(("ssh.known.hosts", _server.OtherKnownHostsPath));
        Assert.Multiple(() =>
        {
            Assert.That(failure.Kind, Is.EqualTo(FailureKind.Permanent));
            Assert.That(failure.Message, Does.StartWith("ssh.known.hosts:").And.Contain("does not match").And.Contain(_server.OtherKnownHostsPath));
        });
    }

    [Test]
    public async Task RefusedPort_IsTransient_NamingHostAndPort()
    {
        _server.Kill();
        var failure = await OpenFailureAsync();
        Assert.Multiple(() =>
        {
            Assert.That(failure.Kind, Is.EqualTo(FailureKind.Transient));
            Assert.That(failure.Message, Is.EqualTo($"ssh.host/ssh.port: cannot connect to 127.0.0.1:{_server.Port}: connection refused"));
        });
    }

    [Test]
    public async Task HostKeyCheckOff_Connects_AndWarns()
    {
        var logger = new RecordingLogger();
        using var tunnel = Settings(("ssh.known.hosts", _server.OtherKnownHostsPath), ("ssh.host.key.check", "false")).Tunnel!;
        var info = await tunnel.EnsureOpenAsync(logger, CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(info.HostKeyVerified, Is.False);
            Assert.That(info.Describe(), Does.Contain("NOT verified (ssh.host.key.check=false)"));
            Assert.That(Text(logger), Does.Contain("ssh.host.key.check=false: the host key of the SSH server").And.Contain("is not verified"));
        });
    }

    [Test]
    public async Task SessionKilled_OpensAgainOnTheSameLocalPort()
    {
        var logger = new RecordingLogger();
        using var tunnel = Settings().Tunnel!;
        await tunnel.EnsureOpenAsync(logger, CancellationToken.None);
        var port = tunnel.LocalPort;
        await using var connection = new NpgsqlConnection(Settings(tunnel).Builder("ssh-test").ConnectionString);
        await connection.OpenAsync();

        _server.Kill();
        await Poll.UntilAsync(() => !tunnel.IsOpen, TimeSpan.FromSeconds(20), "the tunnel to notice that its session is gone");
        Assert.That(async () => await new NpgsqlCommand("SELECT 1", connection).ExecuteScalarAsync(), Throws.InstanceOf<NpgsqlException>(),
            "the connection through the lost tunnel fails at once");
        var down = Assert.ThrowsAsync<SshTunnelException>(() => tunnel.EnsureOpenAsync(logger, CancellationToken.None));
        Assert.That(down!.Kind, Is.EqualTo(FailureKind.Transient));

        await _server.StartAsync();
        await tunnel.EnsureOpenAsync(logger, CancellationToken.None);
        Assert.Multiple(async () =>
        {
            Assert.That(tunnel.LocalPort, Is.EqualTo(port), "the same local port, so connection strings made before stay valid");
            Assert.That(await QueryAsync(Settings(tunnel)), Is.EqualTo("postgres"));
            Assert.That(Text(logger), Does.Contain("was lost; opening it again"));
        });
    }

    /// <summary>The settings of the run's PostgreSQL with this server's tunnel keys, and <paramref name="overrides"/>.</summary>
    PgConnectionSettings Settings(params (string Key, string Value)[] overrides)
    {
        var database = new NpgsqlConnectionStringBuilder(TestEnvironment.PostgresConnectionString);
        var config = new Dictionary<string, string>(_server.TunnelConfig())
        {
            ["db.host"] = database.Host!,
            ["db.port"] = database.Port.ToString(CultureInfo.InvariantCulture),
            ["db.user"] = database.Username!,
            ["db.password"] = database.Password ?? "",
            ["db.name"] = database.Database!,
            ["db.sslmode"] = "disable",
        };
        foreach (var (key, value) in overrides) config[key] = value;
        var reader = new ConfigReader(RawConfig.FromPairs(config), new Dictionary<string, string>());
        var settings = PgConnectionSettings.Read(reader, s_keys);
        reader.ThrowIfProblems();
        return settings;
    }

    /// <summary>The same settings through an existing (open) <paramref name="tunnel"/>.</summary>
    PgConnectionSettings Settings(SshTunnel tunnel) => Settings() with { Tunnel = tunnel };

    static async Task<string> QueryAsync(PgConnectionSettings settings)
    {
        await using var connection = new NpgsqlConnection(settings.Builder("ssh-test").ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT current_database()", connection);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    async Task<SshTunnelException> OpenFailureAsync(params (string Key, string Value)[] overrides)
    {
        using var tunnel = Settings(overrides).Tunnel!;
        var failure = Assert.ThrowsAsync<SshTunnelException>(() => tunnel.EnsureOpenAsync(NullLoggerFor.Test, CancellationToken.None));
        Assert.That(tunnel.IsOpen, Is.False);
        return failure!;
    }

    static string Text(RecordingLogger logger) => string.Join(Environment.NewLine, logger.Entries.Select(e => e.Message));

    static class NullLoggerFor
    {
        public static ILogger Test => Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
    }
}
