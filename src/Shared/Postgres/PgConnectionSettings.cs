using KafkaCdc.Shared.Configuration;
using KafkaCdc.Shared.Ssh;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace KafkaCdc.Shared.Postgres;

/// <summary>
/// Where and how a connector reaches its PostgreSQL server: host, port, user, password, database and TLS mode, read
/// and checked the same way for the source (<c>database.*</c>) and the sink (<c>connection.*</c>), each side naming
/// its keys in a <see cref="PgConnectionKeys"/>; and, with <c>ssh.enabled=true</c> (the same <c>ssh.*</c> keys on both
/// sides), the <see cref="Tunnel"/> that every connection goes through.
/// </summary>
public sealed record PgConnectionSettings(string Host, int Port, string User, string? Password, string Database, SslMode SslMode)
{
    static readonly (string Name, SslMode Mode)[] s_sslModes =
    [
        ("disable", SslMode.Disable), ("allow", SslMode.Allow), ("prefer", SslMode.Prefer),
        ("require", SslMode.Require), ("verify-ca", SslMode.VerifyCA), ("verify-full", SslMode.VerifyFull),
    ];

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
            ReadSslMode(config, keys.SslMode));
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
    public NpgsqlConnectionStringBuilder Builder(string applicationName) => new()
    {
        Host = Tunnel is null ? Host : "127.0.0.1",
        Port = Tunnel?.LocalPort ?? Port,
        Username = User,
        Password = Password,
        Database = Database,
        SslMode = SslMode,
        ApplicationName = applicationName,
    };

    /// <summary><c>user@host:port/database</c> (and the SSH server, with a tunnel), for messages: never the password.</summary>
    public string Display => $"{User}@{Host}:{Port}/{Database}" + (Tunnel is null ? "" : $" through SSH {Tunnel.Options}");

    /// <summary>The password is a secret: records print themselves, so this one leaves it out.</summary>
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

/// <summary>The config keys of one side's <see cref="PgConnectionSettings"/>.</summary>
public sealed record PgConnectionKeys(string Host, string Port, string User, string Password, string Database, string SslMode);
