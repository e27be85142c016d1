using Npgsql;

namespace KafkaCdc.Shared.Postgres;

/// <summary>
/// The TLS line of <c>check</c>: what an open connection's TLS is, as the server reports it (<c>pg_stat_ssl</c> of the
/// connection's own backend: protocol, cipher, the client certificate's subject) and what the settings verified
/// (<c>verify-full, server certificate verified against ca.crt for host name 'db.example.com', protocol TLSv1.3</c>).
/// </summary>
public static class PgTlsStatus
{
    /// <summary>Describes <paramref name="connection"/>'s TLS; <c>Passed</c> is false only when TLS was demanded and is missing.</summary>
    public static async Task<(bool Passed, string Detail)> DescribeAsync(NpgsqlConnection connection, PgConnectionSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(settings);
        await using var command = new NpgsqlCommand(
            "SELECT ssl, version, cipher, client_dn FROM pg_catalog.pg_stat_ssl WHERE pid = pg_catalog.pg_backend_pid()", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var encrypted = await reader.ReadAsync(cancellationToken) && reader.GetBoolean(0);
        var keys = settings.Keys;
        var mode = settings.EffectiveSslMode;
        if (!encrypted)
        {
            return mode is SslMode.Disable or SslMode.Allow or SslMode.Prefer
                ? (true, $"not encrypted ({keys.SslMode}={PgConnectionSettings.SslModeName(settings.SslMode)}); require or verify-full encrypts")
                : (false, $"the connection is not encrypted although {keys.SslMode}={PgConnectionSettings.SslModeName(settings.SslMode)}");
        }
        var protocol = $"protocol {reader.GetString(1)} ({reader.GetString(2)})";
        var client = reader.IsDBNull(3) || reader.GetString(3).Length == 0 ? "no client certificate" : $"client certificate {reader.GetString(3)}";
        var against = settings.SslRootCert is { } root ? $"the CA in '{root}'" : "this machine's trusted CAs";
        var verified = mode switch
        {
            SslMode.VerifyFull => $"server certificate verified against {against} for host name '{settings.Host}'",
            SslMode.VerifyCA when settings.SslMode == SslMode.Require => $"server certificate verified against {against} ({keys.SslRootCert} set: as verify-ca), host name not checked",
            SslMode.VerifyCA => $"server certificate verified against {against}, host name not checked",
            _ => $"server certificate not verified (verify-full with {keys.SslRootCert} verifies it)",
        };
        return (true, $"{PgConnectionSettings.SslModeName(settings.SslMode)}, {verified}, {protocol}, {client}");
    }
}
