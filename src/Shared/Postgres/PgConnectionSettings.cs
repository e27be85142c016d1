using KafkaCdc.Shared.Configuration;
using KafkaCdc.Shared.Ssh;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace KafkaCdc.Shared.Postgres;

/// <summary>
/// Where and how a connector reaches its PostgreSQL server: host, port, user, password, database, TLS mode and TLS
/// files, read and checked the same way for the source (<c>database.*</c>) and the sink (<c>connection.*</c>), each
/// side naming its keys in a <see cref="PgConnectionKeys"/>; and, with <c>ssh.enabled=true</c> (the same <c>ssh.*</c>
/// keys on both sides), the <see cref="Tunnel"/> that every connection goes through.
/// </summary>
/// <remarks>
/// The TLS keys are libpq's: <c>sslrootcert</c> (the CA that signed the server's certificate, for <c>verify-ca</c> and
/// <c>verify-full</c>; with <c>require</c> it makes the mode <c>verify-ca</c>, as in libpq), <c>sslcert</c> and
/// <c>sslkey</c> (a client certificate, for <c>cert</c> authentication or <c>clientcert=verify-*</c> in pg_hba.conf) and
/// <c>sslpassword</c> (the key's passphrase, a secret). The files are loaded once at start (<see cref="PgTlsFiles"/>), so
/// a missing file, a wrong passphrase or a file that holds no certificate is a configuration problem naming its key.
/// </remarks>
public sealed record PgConnectionSettings(string Host, int Port, string User, string? Password, string Database, SslMode SslMode)
{
    static readonly (string Name, SslMode Mode)[] s_sslModes =
    [
        ("disable", SslMode.Disable), ("allow", SslMode.Allow), ("prefer", SslMode.Prefer),
        ("require", SslMode.Require), ("verify-ca", SslMode.VerifyCA), ("verify-full", SslMode.VerifyFull),
    ];

    /// <summary><c>sslrootcert</c>: a PEM (or PKCS#12) file with the CA certificates the server's certificate must chain to; null for the machine's trusted CAs.</summary>
    public string? SslRootCert { get; init; }

    /// <summary><c>sslcert</c>: the client certificate (PEM, the key in <see cref="SslKey"/> or the same file; or PKCS#12 <c>.pfx</c>), or null.</summary>
    public string? SslCert { get; init; }

    /// <summary><c>sslkey</c>: the client certificate's private key (PEM), or null when it is in <see cref="SslCert"/>.</summary>
    public string? SslKey { get; init; }

    /// <summary><c>sslpassword</c>: the passphrase of an encrypted <see cref="SslKey"/> (or of a <c>.pfx</c>). A secret: never shown.</summary>
    public string? SslPassword { get; init; }

    /// <summary>The keys these settings were read from, for messages that say which key to change.</summary>
    public PgConnectionKeys Keys { get; init; } = PgConnectionKeys.Libpq;

    /// <summary>
    /// The mode Npgsql is given: <see cref="SslMode"/>, except that <c>require</c> with a <see cref="SslRootCert"/>
    /// verifies the CA (<c>verify-ca</c>), as libpq does when a root certificate is present.
    /// </summary>
    public SslMode EffectiveSslMode => SslMode == SslMode.Require && SslRootCert is not null ? SslMode.VerifyCA : SslMode;

    /// <summary>The libpq word for <paramref name="mode"/> (<c>verify-full</c>).</summary>
    public static string SslModeName(SslMode mode) => s_sslModes.First(m => m.Mode == mode).Name;

    /// <summary>Reads the settings, reporting every problem to <paramref name="config"/> under the key at fault.</summary>
    public static PgConnectionSettings Read(ConfigReader config, PgConnectionKeys keys)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(keys);
        var settings = new PgConnectionSettings(
            config.RequiredString(keys.Host),
            config.Int(keys.Port, 5432, 1, 65535),
            config.RequiredString(keys.User),
            config.String(keys.Password),
            config.RequiredString(keys.Database),
            ReadSslMode(config, keys.SslMode))
        {
            SslRootCert = config.String(keys.SslRootCert),
            SslCert = config.String(keys.SslCert),
            SslKey = config.String(keys.SslKey),
            SslPassword = config.String(keys.SslPassword),
            Keys = keys,
        };
        PgTlsFiles.Check(settings, config.Problem);
        var ssh = SshTunnelOptions.Read(config);
        if (ssh is null) return settings;
        // Through the tunnel Npgsql connects to 127.0.0.1, which is not the name on the server's certificate.
        if (settings.SslMode == SslMode.VerifyFull)
            config.Problem(keys.SslMode, $"verify-full checks the server's certificate against the host name, but through the SSH tunnel " +
                $"({SshTunnelOptions.EnabledKey}=true) the connector connects to 127.0.0.1: use verify-ca (the certificate is still checked against the CA)");
        return settings with { Tunnel = new SshTunnel(ssh, settings.Host, settings.Port) };
    }

    /// <summary>
    /// The SSH tunnel to the database (<c>ssh.enabled=true</c>), or null for a direct connection. Open it
    /// (<see cref="EnsureReachableAsync"/>) before building a connection string: <see cref="Builder"/> points at its local port.
    /// </summary>
    public SshTunnel? Tunnel { get; init; }

    /// <summary>Opens the SSH tunnel if there is one and it is not open (after a loss: again); nothing for a direct connection.</summary>
    /// <exception cref="SshTunnelException">The tunnel cannot be opened.</exception>
    public async Task EnsureReachableAsync(ILogger logger, CancellationToken cancellationToken, bool reopenTunnel = false)
    {
        if (Tunnel is not null) await Tunnel.EnsureOpenAsync(logger, cancellationToken, reopenTunnel);
    }

    /// <summary>
    /// A connection string builder for these settings, to the SSH tunnel's local port when there is a tunnel; the caller
    /// adds what is its own (pooling, timeouts, session options).
    /// </summary>
    public NpgsqlConnectionStringBuilder Builder(string applicationName)
    {
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = Tunnel is null ? Host : "127.0.0.1",
            Port = Tunnel?.LocalPort ?? Port,
            Username = User,
            Password = Password,
            Database = Database,
            SslMode = EffectiveSslMode,
            ApplicationName = applicationName,
        };
        if (SslRootCert is not null) builder.RootCertificate = SslRootCert;
        if (SslCert is not null) builder.SslCertificate = SslCert;
        if (SslKey is not null) builder.SslKey = SslKey;
        if (SslPassword is not null) builder.SslPassword = SslPassword;
        return builder;
    }

    /// <summary><c>user@host:port/database</c> (and the SSH server, with a tunnel), for messages: never the password or the key's passphrase.</summary>
    public string Display => $"{User}@{Host}:{Port}/{Database}" + (Tunnel is null ? "" : $" through SSH {Tunnel.Options}");

    /// <summary>The password and the key's passphrase are secrets: records print themselves, so this one leaves them out.</summary>
    public override string ToString() => Display;

    /// <summary>PostgreSQL's <c>sslmode</c> words (libpq's spelling; <c>verify_full</c> and any case are accepted too), <c>require</c> when unset.</summary>
    static SslMode ReadSslMode(ConfigReader config, string key)
    {
        var text = config.String(key, "require")!;
        var word = text.Trim().ToLowerInvariant().Replace('_', '-');
        foreach (var (name, mode) in s_sslModes)
        {
            if (name == word) return mode;
        }
        config.Problem(key, $"'{text}' is not one of: {string.Join(", ", s_sslModes.Select(m => m.Name))}");
        return SslMode.Require;
    }
}
