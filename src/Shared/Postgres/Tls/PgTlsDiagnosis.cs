using System.Buffers.Binary;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Npgsql;

namespace KafkaCdc.Shared.Postgres;

/// <summary>
/// Says why a TLS handshake with PostgreSQL failed, naming the key to change. Npgsql only reports that the server's
/// certificate was rejected; this asks the server again (an <c>SSLRequest</c> and a handshake that accepts any
/// certificate, sending nothing after it) and compares the certificate it gets with what the settings demand: signed by
/// the CA in <c>sslrootcert</c> (or one this machine trusts), valid now, and under <c>verify-full</c> issued for the host
/// name connected to.
/// </summary>
/// <remarks>
/// Used only after a connection failed (<see cref="IsTlsFailure"/>), by <c>check</c> and when a connector stops: the
/// verdict comes from the same .NET chain and name checks Npgsql's own validation uses. A TLS failure is permanent
/// (<see cref="PgErrorClassification"/>): retrying cannot make a certificate verify.
/// </remarks>
public static class PgTlsDiagnosis
{
    const int SslRequestCode = 80877103;
    static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);

    /// <summary>Whether <paramref name="exception"/> (or one it wraps) is Npgsql's failed TLS handshake or client certificate.</summary>
    public static bool IsTlsFailure(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is NpgsqlException { InnerException: AuthenticationException or CryptographicException }) return true;
        }
        return false;
    }

    /// <summary>
    /// The message to report for <paramref name="exception"/>: its own, or, for a TLS failure, why the server's
    /// certificate does not verify under <paramref name="settings"/> (<see cref="ExplainAsync"/>).
    /// </summary>
    public static async Task<string> DescribeAsync(Exception exception, PgConnectionSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (!IsTlsFailure(exception)) return exception.Message;
        var explanation = await ExplainAsync(settings, cancellationToken);
        return explanation is null
            ? $"{exception.Message}: {exception.InnerException?.Message}"
            : $"TLS with {settings.Host}:{settings.Port} failed: {explanation}";
    }

    /// <summary>What about the server's certificate fails <paramref name="settings"/>, or null when it passes (or the server cannot be asked).</summary>
    public static async Task<string?> ExplainAsync(PgConnectionSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var keys = settings.Keys;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(s_timeout);
        X509Certificate2? serverCertificate = null;
        var policyErrors = SslPolicyErrors.None;
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(settings.Host, settings.Port, timeout.Token);
            var stream = client.GetStream();
            var request = new byte[8];
            BinaryPrimitives.WriteInt32BigEndian(request, 8);
            BinaryPrimitives.WriteInt32BigEndian(request.AsSpan(4), SslRequestCode);
            await stream.WriteAsync(request, timeout.Token);
            var answer = new byte[1];
            if (await stream.ReadAsync(answer, timeout.Token) != 1) return null;
            if (answer[0] != 'S')
                return $"the server does not accept TLS (ssl=off); enable it on the server, or set {keys.SslMode}=prefer or disable";
            await using var tls = new SslStream(stream, leaveInnerStreamOpen: false);
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = settings.Host,
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                {
                    serverCertificate = certificate is null ? null : new X509Certificate2(certificate);
                    policyErrors = errors;
                    return true;
                },
            }, timeout.Token);
        }
        catch (Exception e) when (e is SocketException or IOException or AuthenticationException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return serverCertificate is null ? null : Verdict(settings, serverCertificate, policyErrors);
        }
        using (serverCertificate)
        {
            return serverCertificate is null ? $"the server at {settings.Host}:{settings.Port} sent no certificate" : Verdict(settings, serverCertificate, policyErrors);
        }
    }

    static string? Verdict(PgConnectionSettings settings, X509Certificate2 certificate, SslPolicyErrors policyErrors)
    {
        var keys = settings.Keys;
        var mode = settings.EffectiveSslMode;
        if (mode is not (SslMode.VerifyCA or SslMode.VerifyFull)) return null;
        var described = $"the server's certificate ({certificate.Subject}, issued by {certificate.Issuer})";
        var chainProblem = ChainProblem(settings.SslRootCert, certificate);
        if (chainProblem is not null)
        {
            return settings.SslRootCert is { } root
                ? $"{keys.SslRootCert}: {described} is not signed by the CA in '{root}' ({chainProblem}); set {keys.SslRootCert} to the CA that signed it"
                : $"{keys.SslMode}={PgConnectionSettings.SslModeName(settings.SslMode)}: {described} is not signed by a CA this machine trusts ({chainProblem}); set {keys.SslRootCert} to the CA file that signed it";
        }
        if (mode == SslMode.VerifyFull && policyErrors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            return $"{keys.Host}: host name '{settings.Host}' does not match {described}, issued for {Names(certificate)}; " +
                   $"connect with a name in the certificate, or use {keys.SslMode}=verify-ca";
        }
        return null;
    }

    /// <summary>Why the certificate does not chain to the trusted CAs, or null when it does.</summary>
    static string? ChainProblem(string? rootFile, X509Certificate2 certificate)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        var roots = new X509Certificate2Collection();
        try
        {
            if (rootFile is not null)
            {
                if (Path.GetExtension(rootFile).Equals(".pfx", StringComparison.OrdinalIgnoreCase)) roots.Add(X509CertificateLoader.LoadPkcs12FromFile(rootFile, null));
                else roots.ImportFromPemFile(rootFile);
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.AddRange(roots);
                chain.ChainPolicy.ExtraStore.AddRange(roots);
            }
            if (chain.Build(certificate)) return null;
            return string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).Distinct());
        }
        finally
        {
            foreach (var root in roots) root.Dispose();
        }
    }

    /// <summary>The names a certificate is issued for: its subject alternative names, else its common name.</summary>
    static string Names(X509Certificate2 certificate)
    {
        var names = new List<string>();
        foreach (var extension in certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>())
        {
            names.AddRange(extension.EnumerateDnsNames().Select(n => $"'{n}'"));
            names.AddRange(extension.EnumerateIPAddresses().Select(a => $"'{a}'"));
        }
        if (names.Count == 0) names.Add($"'{certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false)}'");
        return string.Join(", ", names);
    }
}
