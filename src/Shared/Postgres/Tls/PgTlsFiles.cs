using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Npgsql;

namespace KafkaCdc.Shared.Postgres;

/// <summary>
/// Checks the TLS files of a <see cref="PgConnectionSettings"/> at start: each exists and can be read, the root file holds
/// certificates, and the client certificate loads with its key and passphrase the way Npgsql will load it on every
/// connection (a PEM certificate with its key in <c>sslkey</c> or in the same file, or a PKCS#12 <c>.pfx</c>). Each problem
/// names the key at fault; the passphrase never appears.
/// </summary>
/// <remarks>
/// An encrypted PEM key must be PKCS#8 (<c>-----BEGIN ENCRYPTED PRIVATE KEY-----</c>, e.g. from
/// <c>openssl pkcs8 -topk8 -v2 aes256</c>): .NET, which Npgsql loads keys with, reads no other encrypted form.
/// </remarks>
public static class PgTlsFiles
{
    /// <summary>Reports every problem of <paramref name="settings"/>' TLS files to <paramref name="problem"/> (key, message).</summary>
    public static void Check(PgConnectionSettings settings, Action<string, string> problem)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(problem);
        var keys = settings.Keys;
        var mode = settings.SslMode;
        if (mode == SslMode.Disable)
        {
            foreach (var (key, value) in new[] { (keys.SslRootCert, settings.SslRootCert), (keys.SslCert, settings.SslCert), (keys.SslKey, settings.SslKey) })
            {
                if (value is not null) problem(key, $"is not used with {keys.SslMode}=disable (no TLS); remove it or choose another {keys.SslMode}");
            }
            return;
        }
        if (settings.SslRootCert is { } root)
        {
            if (mode is SslMode.Allow or SslMode.Prefer)
                problem(keys.SslRootCert, $"is not used with {keys.SslMode}={PgConnectionSettings.SslModeName(mode)}, which never verifies the server's certificate; use verify-full (or verify-ca)");
            else if (Readable(keys.SslRootCert, root, problem)) CheckRoot(keys.SslRootCert, root, problem);
        }
        if (settings.SslCert is null)
        {
            if (settings.SslKey is not null) problem(keys.SslKey, $"is only used with {keys.SslCert} (the client certificate it belongs to)");
            if (settings.SslPassword is not null) problem(keys.SslPassword, $"is only used with {keys.SslCert} (it decrypts the client certificate's key)");
            return;
        }
        var certificateReadable = Readable(keys.SslCert, settings.SslCert, problem);
        var keyReadable = settings.SslKey is null || Readable(keys.SslKey, settings.SslKey, problem);
        if (certificateReadable && keyReadable) CheckClientCertificate(settings, problem);
    }

    static bool Readable(string key, string path, Action<string, string> problem)
    {
        if (!File.Exists(path))
        {
            problem(key, $"file '{path}' does not exist");
            return false;
        }
        try
        {
            using var stream = File.OpenRead(path);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problem(key, $"file '{path}' cannot be read: {e.Message}");
            return false;
        }
    }

    static void CheckRoot(string key, string path, Action<string, string> problem)
    {
        try
        {
            var certificates = new X509Certificate2Collection();
            if (!IsPkcs12(path)) certificates.ImportFromPemFile(path);
            else certificates.Add(X509CertificateLoader.LoadPkcs12FromFile(path, null));
            if (certificates.Count == 0)
                problem(key, $"'{path}' holds no certificate (expected PEM: -----BEGIN CERTIFICATE-----)");
            foreach (var certificate in certificates) certificate.Dispose();
        }
        catch (CryptographicException e)
        {
            problem(key, $"'{path}' cannot be read as certificates: {e.Message}");
        }
    }

    /// <summary>Loads the client certificate as Npgsql will (<c>NpgsqlConnector.NegotiateEncryption</c>), so a bad file or passphrase stops the start, not the first connection.</summary>
    static void CheckClientCertificate(PgConnectionSettings settings, Action<string, string> problem)
    {
        var keys = settings.Keys;
        var certificatePath = settings.SslCert!;
        var keyPath = settings.SslKey ?? certificatePath;
        var password = settings.SslPassword;
        try
        {
            using var certificate = IsPkcs12(certificatePath)
                ? X509CertificateLoader.LoadPkcs12FromFile(certificatePath, password)
                : string.IsNullOrEmpty(password)
                    ? X509Certificate2.CreateFromPemFile(certificatePath, settings.SslKey)
                    : X509Certificate2.CreateFromEncryptedPemFile(certificatePath, password, settings.SslKey);
            if (!certificate.HasPrivateKey)
                problem(settings.SslKey is null ? keys.SslCert : keys.SslKey, $"no private key for the certificate in '{certificatePath}' (set {keys.SslKey} to its key file)");
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            problem(ClientCertificateFault(settings, e), ClientCertificateMessage(settings, keyPath, e));
        }
    }

    static string ClientCertificateFault(PgConnectionSettings settings, Exception e) =>
        settings.SslPassword is not null ? settings.Keys.SslPassword
        : settings.SslKey is not null && IsEncryptedKey(settings.SslKey) ? settings.Keys.SslPassword
        : settings.SslKey is not null && e.Message.Contains("key", StringComparison.OrdinalIgnoreCase) ? settings.Keys.SslKey
        : settings.Keys.SslCert;

    static string ClientCertificateMessage(PgConnectionSettings settings, string keyPath, Exception e)
    {
        var keys = settings.Keys;
        if (settings.SslPassword is not null)
            return $"does not open the client key in '{keyPath}' with the certificate in '{settings.SslCert}' ({e.Message}); check the passphrase, and that an encrypted PEM key is PKCS#8 (-----BEGIN ENCRYPTED PRIVATE KEY-----)";
        if (IsEncryptedKey(keyPath))
            return $"is required: the client key in '{keyPath}' is encrypted";
        return $"cannot load the client certificate '{settings.SslCert}' with the key in '{keyPath}': {e.Message} (is {keys.SslKey} the key of this certificate?)";
    }

    static bool IsEncryptedKey(string path)
    {
        try
        {
            var text = File.ReadAllText(path);
            return text.Contains("ENCRYPTED PRIVATE KEY", StringComparison.Ordinal) || text.Contains("Proc-Type: 4,ENCRYPTED", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    static bool IsPkcs12(string path) => string.Equals(Path.GetExtension(path), ".pfx", StringComparison.OrdinalIgnoreCase);
}
