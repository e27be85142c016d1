using KafkaCdc.Shared.Configuration;
using KafkaCdc.Shared.Postgres;
using KafkaCdc.Shared.Ssh;

namespace KafkaCdc.Tests.Shared.Ssh;

/// <summary>The <c>ssh.*</c> keys as both connectors read them: required keys, key file or inline key, passphrase, known_hosts.</summary>
public class SshTunnelOptionsTests
{
    const string Passphrase = "correct-horse-battery";
    string _directory = "";
    string _key = "";
    string _encryptedKey = "";
    string _knownHosts = "";

    [OneTimeSetUp]
    public async Task MakeKeys()
    {
        _directory = Directory.CreateTempSubdirectory("kafkacdc-ssh-options-").FullName;
        _key = Path.Combine(_directory, "plain");
        _encryptedKey = Path.Combine(_directory, "encrypted");
        _knownHosts = Path.Combine(_directory, "known_hosts");
        await SshServer.KeyGenAsync("-t", "ed25519", "-N", "", "-f", _key);
        await SshServer.KeyGenAsync("-t", "ed25519", "-N", Passphrase, "-f", _encryptedKey);
        await File.WriteAllTextAsync(_knownHosts, "bastion.example ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl\n");
    }

    [OneTimeTearDown]
    public void RemoveKeys() => Directory.Delete(_directory, recursive: true);

    [Test]
    public void Read_NoSshKeys_NoTunnel()
    {
        var (options, problems) = Read(new Dictionary<string, string>());
        Assert.Multiple(() =>
        {
            Assert.That(options, Is.Null);
            Assert.That(problems, Is.Empty);
        });
    }

    [Test]
    public void Read_NoSshKeys_EffectiveSettingsListOnlySshEnabled()
    {
        var reader = Reader(new Dictionary<string, string>());
        SshTunnelOptions.Read(reader);
        Assert.That(reader.Effective.Keys.Where(k => k.StartsWith("ssh.", StringComparison.Ordinal)), Is.EquivalentTo(new[] { "ssh.enabled" }));
    }

    [Test]
    public void Read_SshKeysWithoutSshEnabled_AsksForIt()
    {
        var (_, problems) = Read(new() { ["ssh.host"] = "bastion.example", ["ssh.user"] = "tunnel" });
        Assert.That(problems, Has.One.StartsWith("ssh.enabled: is not set, but ssh.host, ssh.user are"));
    }

    [Test]
    public void Read_ExplicitlyDisabled_OtherSshKeysAreNeitherUsedNorUnknown()
    {
        var (options, problems) = Read(new() { ["ssh.enabled"] = "false", ["ssh.host"] = "bastion.example", ["ssh.private.key"] = "/nowhere" });
        Assert.Multiple(() =>
        {
            Assert.That(options, Is.Null);
            Assert.That(problems, Is.Empty);
        });
    }

    [Test]
    public void Read_EnabledWithoutHostUserAndKey_NamesEachKey()
    {
        var (_, problems) = Read(new() { ["ssh.enabled"] = "true", ["ssh.known.hosts"] = _knownHosts });
        Assert.That(problems.Select(p => p.Split(':')[0]), Is.EquivalentTo(new[] { "ssh.host", "ssh.user", "ssh.private.key" }));
    }

    [Test]
    public void Read_KeyFile_DefaultsPort22AndHostKeyCheck()
    {
        var (options, problems) = Read(Config());
        Assert.That(problems, Is.Empty);
        Assert.Multiple(() =>
        {
            Assert.That(options!.Host, Is.EqualTo("bastion.example"));
            Assert.That(options.Port, Is.EqualTo(22));
            Assert.That(options.User, Is.EqualTo("tunnel"));
            Assert.That(options.CheckHostKey, Is.True);
            Assert.That(options.KnownHostsPath, Is.EqualTo(_knownHosts));
            Assert.That(options.PrivateKeySource, Is.EqualTo($"file '{_key}'"));
            Assert.That(options.ToString(), Is.EqualTo("tunnel@bastion.example:22"));
        });
    }

    [Test]
    public async Task Read_InlineKey_IsTheKeyItself()
    {
        var (options, problems) = Read(Config(("ssh.private.key", await File.ReadAllTextAsync(_key))));
        Assert.Multiple(() =>
        {
            Assert.That(problems, Is.Empty);
            Assert.That(options!.PrivateKeySource, Is.EqualTo("inline"));
        });
    }

    [Test]
    public void Read_EncryptedKeyWithItsPassphrase_IsAccepted()
    {
        var (_, problems) = Read(Config(("ssh.private.key", _encryptedKey), ("ssh.private.key.passphrase", Passphrase)));
        Assert.That(problems, Is.Empty);
    }

    [Test]
    public void Read_EncryptedKeyWithoutPassphrase_AsksForThePassphrase()
    {
        var (_, problems) = Read(Config(("ssh.private.key", _encryptedKey)));
        Assert.That(problems, Has.One.StartsWith("ssh.private.key.passphrase: is required").And.Contains("is encrypted"));
    }

    [Test]
    public async Task Read_WrongPassphrase_NamesThePassphraseKey_WithoutSecrets()
    {
        var (_, problems) = Read(Config(("ssh.private.key", _encryptedKey), ("ssh.private.key.passphrase", "wrong-passphrase-given")));
        Assert.That(problems, Has.One.StartsWith("ssh.private.key.passphrase: does not decrypt the key"));
        AssertNoSecret(problems, "wrong-passphrase-given", await File.ReadAllTextAsync(_encryptedKey));
    }

    [Test]
    public void Read_NotAKey_SaysWhichFormatsAreRead_WithoutTheText()
    {
        var (_, problems) = Read(Config(("ssh.private.key", "-----BEGIN NOTHING-----\nc2VjcmV0LWJ5dGVz\n-----END NOTHING-----")));
        Assert.That(problems, Has.One.StartsWith("ssh.private.key: (inline) is not a private key").And.Contains("OpenSSH"));
        AssertNoSecret(problems, "c2VjcmV0LWJ5dGVz");
    }

    [Test]
    public void Read_MissingKeyFileOrKnownHosts_NamesTheKeys()
    {
        var (_, problems) = Read(Config(("ssh.private.key", Path.Combine(_directory, "absent")), ("ssh.known.hosts", Path.Combine(_directory, "absent_known_hosts"))));
        Assert.Multiple(() =>
        {
            Assert.That(problems, Has.One.StartsWith("ssh.private.key: cannot read the key file"));
            Assert.That(problems, Has.One.StartsWith("ssh.known.hosts:").And.Contains("does not exist").And.Contains("ssh.host.key.check=false"));
        });
    }

    [Test]
    public void Read_HostKeyCheckOff_NeedsNoKnownHostsFile()
    {
        var (options, problems) = Read(Config(("ssh.known.hosts", Path.Combine(_directory, "absent_known_hosts")), ("ssh.host.key.check", "false")));
        Assert.Multiple(() =>
        {
            Assert.That(problems, Is.Empty);
            Assert.That(options!.CheckHostKey, Is.False);
        });
    }

    [Test]
    public async Task Effective_ShowsNeitherTheInlineKeyNorThePassphrase()
    {
        var key = await File.ReadAllTextAsync(_encryptedKey);
        var reader = Reader(Config(("ssh.private.key", key), ("ssh.private.key.passphrase", Passphrase)));
        SshTunnelOptions.Read(reader);
        Assert.Multiple(() =>
        {
            Assert.That(reader.Effective["ssh.private.key"], Is.EqualTo("****"));
            Assert.That(reader.Effective["ssh.private.key.passphrase"], Is.EqualTo("****"));
            Assert.That(reader.Effective["ssh.host"], Is.EqualTo("bastion.example"));
        });
    }

    [Test]
    public void ConnectionSettings_VerifyFullThroughTheTunnel_IsRefusedNamingTheSslModeKey()
    {
        var config = Config(("db.host", "db.internal"), ("db.user", "u"), ("db.name", "d"), ("db.sslmode", "verify-full"));
        var reader = Reader(config);
        var settings = PgConnectionSettings.Read(reader, PgConnectionKeys.WithTlsPrefix("db.", "db.host", "db.port", "db.user", "db.password", "db.name"));
        Assert.Multiple(() =>
        {
            Assert.That(Assert.Throws<ConfigException>(reader.ThrowIfProblems)!.Problems, Has.One.StartsWith("db.sslmode: verify-full").And.Contains("verify-ca"));
            Assert.That(settings.Tunnel, Is.Not.Null);
            Assert.That(settings.Tunnel!.Destination, Is.EqualTo("db.internal:5432"));
            Assert.That(() => settings.Builder("app"), Throws.InvalidOperationException.With.Message.Contains("EnsureOpenAsync"),
                "no connection string before the tunnel is open: it would lead nowhere");
        });
    }

    [Test]
    public void ConfigurationReference_ListsEverySshKey()
    {
        var readme = File.ReadAllText(Repository.File("README.md"));
        Assert.That(SshTunnelOptions.Keys.Where(k => !readme.Contains($"| `{k}` |", StringComparison.Ordinal)), Is.Empty,
            "ssh.* keys missing from the README's SSH tunnel keys table");
    }

    Dictionary<string, string> Config(params (string Key, string Value)[] overrides)
    {
        var config = new Dictionary<string, string>
        {
            ["ssh.enabled"] = "true",
            ["ssh.host"] = "bastion.example",
            ["ssh.user"] = "tunnel",
            ["ssh.private.key"] = _key,
            ["ssh.known.hosts"] = _knownHosts,
        };
        foreach (var (key, value) in overrides) config[key] = value;
        return config;
    }

    static ConfigReader Reader(Dictionary<string, string> config) => new(RawConfig.FromPairs(config), new Dictionary<string, string>());

    static (SshTunnelOptions? Options, IReadOnlyList<string> Problems) Read(Dictionary<string, string> config)
    {
        var reader = Reader(config);
        var options = SshTunnelOptions.Read(reader);
        try
        {
            reader.ThrowIfProblems();
            return (options, []);
        }
        catch (ConfigException e)
        {
            return (options, e.Problems);
        }
    }

    /// <summary>No message holds a secret, nor any line of a key's body.</summary>
    internal static void AssertNoSecret(IEnumerable<string> messages, params string[] secrets)
    {
        var parts = secrets.SelectMany(s => s.Split('\n')).Select(l => l.Trim()).Where(l => l.Length >= 12 && !l.StartsWith("-----", StringComparison.Ordinal)).ToList();
        foreach (var message in messages)
        {
            foreach (var part in parts) Assert.That(message, Does.Not.Contain(part), "a secret in a message");
        }
    }
}
