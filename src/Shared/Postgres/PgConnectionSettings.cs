using KafkaCdc.Shared.Configuration;
using Npgsql;

namespace KafkaCdc.Shared.Postgres;

/// <summary>
/// Where and how a connector reaches its PostgreSQL server: host, port, user, password, database and TLS mode, read
/// and checked the same way for the source (<c>database.*</c>) and the sink (<c>connection.*</c>), each side naming
/// its keys in a <see cref="PgConnectionKeys"/>.
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
        return new PgConnectionSettings(
            config.RequiredString(keys.Host),
            config.Int(keys.Port, 5432, 1, 65535),
            config.RequiredString(keys.User),
            config.String(keys.Password),
            config.RequiredString(keys.Database),
            ReadSslMode(config, keys.SslMode));
    }

    /// <summary>A connection string builder for these settings; the caller adds what is its own (pooling, timeouts, session options).</summary>
    public NpgsqlConnectionStringBuilder Builder(string applicationName) => new()
    {
        Host = Host,
        Port = Port,
        Username = User,
        Password = Password,
        Database = Database,
        SslMode = SslMode,
        ApplicationName = applicationName,
    };

    /// <summary><c>user@host:port/database</c>, for messages: never the password.</summary>
    public string Display => $"{User}@{Host}:{Port}/{Database}";

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
