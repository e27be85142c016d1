namespace KafkaCdc.DevStack.Postgres;

/// <summary>
/// TLS for a <see cref="TemporaryPostgres"/>: <c>ssl=on</c> with this certificate and key (copied into the server's
/// directory, owned by the server's OS user, the key mode 0600 as PostgreSQL demands), the CA whose client certificates
/// the server accepts, and pg_hba.conf lines put before initdb's own (the first matching line wins), such as
/// <c>hostssl all certuser 127.0.0.1/32 cert</c>.
/// </summary>
/// <param name="CertificateFile">The server's certificate (PEM): <c>ssl_cert_file</c>.</param>
/// <param name="KeyFile">Its private key (PEM, unencrypted): <c>ssl_key_file</c>.</param>
/// <param name="CaFile">CA certificates for client certificates (<c>ssl_ca_file</c>), or null.</param>
/// <param name="HbaLines">pg_hba.conf lines that come first.</param>
public sealed record TemporaryPostgresTls(string CertificateFile, string KeyFile, string? CaFile, IReadOnlyList<string> HbaLines);
