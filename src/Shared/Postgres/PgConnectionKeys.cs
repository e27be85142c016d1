namespace KafkaCdc.Shared.Postgres;

/// <summary>The config keys of one side's <see cref="PgConnectionSettings"/>.</summary>
public sealed record PgConnectionKeys(
    string Host, string Port, string User, string Password, string Database, string SslMode,
    string SslRootCert, string SslCert, string SslKey, string SslPassword)
{
    /// <summary>libpq's own names, for settings built in code rather than read from a connector's configuration.</summary>
    public static PgConnectionKeys Libpq { get; } =
        new("host", "port", "user", "password", "dbname", "sslmode", "sslrootcert", "sslcert", "sslkey", "sslpassword");

    /// <summary>The keys of a side whose TLS keys are libpq's names after <paramref name="prefix"/> (<c>database.</c>, <c>connection.</c>).</summary>
    public static PgConnectionKeys WithTlsPrefix(string prefix, string host, string port, string user, string password, string database) =>
        new(host, port, user, password, database,
            prefix + "sslmode", prefix + "sslrootcert", prefix + "sslcert", prefix + "sslkey", prefix + "sslpassword");
}
