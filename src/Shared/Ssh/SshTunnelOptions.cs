using KafkaCdc.Shared.Configuration;
using Renci.SshNet;
using Renci.SshNet.Common;

namespace KafkaCdc.Shared.Ssh;

/// <summary>
/// The <c>ssh.*</c> settings, the same keys for the source and the sink: reach the database through a local port
/// forward over an SSH server (a bastion host), authenticating with a private key and verifying the server's host key
/// against a known_hosts file unless <c>ssh.host.key.check=false</c>. Read by <see cref="Read"/>, which checks that the
/// key can be read (and decrypted) at start, so a wrong passphrase is a configuration error, not a connection failure.
/// </summary>
/// <remarks>
/// The private key and its passphrase are secrets (<see cref="SecretKeys"/>): they are never logged and never part of a
/// message; <see cref="ToString"/> shows <c>user@host:port</c> only.
/// </remarks>
public sealed class SshTunnelOptions
{
    /// <summary><c>ssh.enabled</c>: connect through the tunnel (default false).</summary>
    public const string EnabledKey = "ssh.enabled";

    /// <summary><c>ssh.host</c>: the SSH server's host name or address.</summary>
    public const string HostnameKey = "ssh.host";

    /// <summary><c>ssh.port</c>: the SSH server's port (22).</summary>
    public const string PortKey = "ssh.port";

    /// <summary><c>ssh.user</c>: the user to log in as.</summary>
    public const string UserKey = "ssh.user";

    /// <summary><c>ssh.private.key</c>: a private key file, or the key itself (text starting with <c>-----BEGIN</c>).</summary>
    public const string PrivateKeyKey = "ssh.private.key";

    /// <summary><c>ssh.private.key.passphrase</c>: the passphrase of an encrypted key.</summary>
    public const string PassphraseKey = "ssh.private.key.passphrase";

    /// <summary><c>ssh.known.hosts</c>: the known_hosts file holding the server's host key (<c>~/.ssh/known_hosts</c>).</summary>
    public const string KnownHostsKey = "ssh.known.hosts";

    /// <summary><c>ssh.host.key.check</c>: verify the server's host key (default true); false is the explicit opt-out.</summary>
    public const string HostKeyCheckKey = "ssh.host.key.check";

    /// <summary>Every <c>ssh.*</c> key, for the configuration reference and its test.</summary>
    public static readonly IReadOnlyList<string> Keys =
        [EnabledKey, HostnameKey, PortKey, UserKey, PrivateKeyKey, PassphraseKey, KnownHostsKey, HostKeyCheckKey];

    internal SshTunnelOptions(string host, int port, string user, string privateKey, string privateKeySource, string? passphrase,
        string knownHostsPath, bool checkHostKey)
    {
        Host = host;
        Port = port;
        User = user;
        PrivateKey = privateKey;
        PrivateKeySource = privateKeySource;
        Passphrase = passphrase;
        KnownHostsPath = knownHostsPath;
        CheckHostKey = checkHostKey;
    }

    /// <summary>The SSH server's host name or address (<c>ssh.host</c>).</summary>
    public string Host { get; }

    /// <summary>The SSH server's port (<c>ssh.port</c>).</summary>
    public int Port { get; }

    /// <summary>The user to log in as (<c>ssh.user</c>).</summary>
    public string User { get; }

    /// <summary>Where the key came from, for messages: <c>file '/path'</c> or <c>inline</c>; never the key.</summary>
    public string PrivateKeySource { get; }

    /// <summary>The known_hosts file (<c>ssh.known.hosts</c>), <c>~</c> expanded.</summary>
    public string KnownHostsPath { get; }

    /// <summary>Whether the host key is verified (<c>ssh.host.key.check</c>).</summary>
    public bool CheckHostKey { get; }

    /// <summary>The key text: a secret.</summary>
    string PrivateKey { get; }

    /// <summary>The key's passphrase: a secret.</summary>
    string? Passphrase { get; }

    /// <summary>The default known_hosts file: OpenSSH's, of the user running the connector.</summary>
    public static string DefaultKnownHostsPath => Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".ssh", "known_hosts");

    /// <summary>
    /// Reads the <c>ssh.*</c> keys, reporting every problem to <paramref name="config"/> under its key; null when
    /// <c>ssh.enabled</c> is not true. With <c>ssh.enabled</c> unset and other <c>ssh.*</c> keys set, that is a problem
    /// (the user most likely meant to use the tunnel).
    /// </summary>
    public static SshTunnelOptions? Read(ConfigReader config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var enabledSet = config.IsSet(EnabledKey);
        if (!config.Bool(EnabledKey, false))
        {
            // Not config.String: the start-up log would list every unset ssh.* key of a connector without a tunnel.
            var set = Keys.Where(k => k != EnabledKey && config.IsSet(k)).ToList();
            if (!enabledSet && set.Count > 0)
                config.Problem(EnabledKey, $"is not set, but {string.Join(", ", set)} {(set.Count == 1 ? "is" : "are")}: set {EnabledKey}=true " +
                    $"to connect through the SSH tunnel, or {EnabledKey}=false to connect directly");
            return null;
        }

        var host = config.RequiredString(HostnameKey);
        var port = config.Int(PortKey, 22, 1, 65535);
        var user = config.RequiredString(UserKey);
        var keyValue = config.RequiredString(PrivateKeyKey);
        var passphrase = config.String(PassphraseKey);
        var checkHostKey = config.Bool(HostKeyCheckKey, true);
        var knownHosts = ExpandHome(config.String(KnownHostsKey, DefaultKnownHostsPath)!);
        if (checkHostKey && !File.Exists(knownHosts))
            config.Problem(KnownHostsKey, $"'{knownHosts}' does not exist: give a known_hosts file with the SSH server's host key " +
                $"(e.g. from ssh-keyscan -p {port} {host}, checked against the server's fingerprint), or set {HostKeyCheckKey}=false to skip the check");

        var (key, source) = ReadKey(config, keyValue);
        if (key is not null) CheckKey(config, key, source, passphrase);
        return new SshTunnelOptions(host, port, user, key ?? "", source, passphrase, knownHosts, checkHostKey);
    }

    /// <summary>The private key, parsed (and decrypted): the caller disposes it.</summary>
    /// <exception cref="SshTunnelException">The key no longer reads (the file changed since the start).</exception>
    internal PrivateKeyFile OpenPrivateKey()
    {
        try
        {
            return Parse(PrivateKey, Passphrase);
        }
        catch (Exception e) when (e is SshException or System.Security.Cryptography.CryptographicException or FormatException or ArgumentException or NotSupportedException)
        {
            throw new SshTunnelException(Failures.FailureKind.Permanent, PrivateKeyKey,
                $"{PrivateKeyKey}: the key ({PrivateKeySource}) cannot be read any more ({e.GetType().Name})");
        }
    }

    /// <summary><c>user@host:port</c>: never the key or passphrase.</summary>
    public override string ToString() => $"{User}@{Host}:{Port}";

    static (string? Key, string Source) ReadKey(ConfigReader config, string value)
    {
        if (value.Length == 0) return (null, "unset");
        if (IsInlineKey(value)) return (value.Replace("\\n", "\n", StringComparison.Ordinal), "inline");
        var path = ExpandHome(value.Trim());
        try
        {
            var text = File.ReadAllText(path);
            return (text, $"file '{path}'");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            config.Problem(PrivateKeyKey, $"cannot read the key file '{path}': {e.Message} (give a key file, or the key itself starting with -----BEGIN)");
            return (null, $"file '{path}'");
        }
    }

    static bool IsInlineKey(string value)
    {
        var start = value.TrimStart();
        return start.StartsWith("-----BEGIN", StringComparison.Ordinal) || start.StartsWith("PuTTY-User-Key-File", StringComparison.Ordinal);
    }

    /// <summary>Parses the key once at start, so an unreadable key or a wrong passphrase is reported with the configuration problems.</summary>
    static void CheckKey(ConfigReader config, string key, string source, string? passphrase)
    {
        try
        {
            using var parsed = Parse(key, passphrase);
        }
        catch (SshPassPhraseNullOrEmptyException)
        {
            config.Problem(PassphraseKey, $"is required: the key in {PrivateKeyKey} ({source}) is encrypted");
        }
        catch (Exception e) when (e is NotSupportedException || (e is SshException && e.Message.StartsWith("Invalid private key file", StringComparison.Ordinal)))
        {
            config.Problem(PrivateKeyKey, $"({source}) is not a private key the connector reads: use an ed25519, ECDSA or RSA key " +
                "in OpenSSH, PEM (PKCS#1, PKCS#8) or PuTTY format");
        }
        catch (Exception e) when (e is SshException or System.Security.Cryptography.CryptographicException or FormatException or ArgumentException)
        {
            // The library's own message may quote bytes of the decrypted key: name the type only.
            if (passphrase is not null)
                config.Problem(PassphraseKey, $"does not decrypt the key in {PrivateKeyKey} ({source}): check the passphrase ({e.GetType().Name})");
            else
                config.Problem(PrivateKeyKey, $"({source}) cannot be read ({e.GetType().Name}); is it encrypted and {PassphraseKey} missing?");
        }
    }

    static PrivateKeyFile Parse(string key, string? passphrase)
    {
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(key));
        return passphrase is null ? new PrivateKeyFile(stream) : new PrivateKeyFile(stream, passphrase);
    }

    static string ExpandHome(string path) =>
        path == "~" || path.StartsWith("~/", StringComparison.Ordinal)
            ? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) + path[1..]
            : path;
}
