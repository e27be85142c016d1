using System.Diagnostics;
using KafkaCdc.DevStack.Postgres;
using Npgsql;

namespace KafkaCdc.Tests.Shared.Postgres.Tls;

/// <summary>
/// A throwaway PostgreSQL server with TLS for the TLS tests, and the certificates they need, made with openssl: a CA,
/// the server's certificate from it for the name <c>localhost</c> only (so <c>127.0.0.1</c> is a wrong host name under
/// verify-full), a client certificate for the role <see cref="CertUser"/> (pg_hba <c>cert</c>: no password), its key
/// also encrypted with <see cref="KeyPassphrase"/>, and a second, unrelated CA.
/// </summary>
internal sealed class TlsTestServer : IAsyncDisposable
{
    /// <summary>The role that logs in with its client certificate only.</summary>
    public const string CertUser = "certuser";

    /// <summary>The passphrase of <see cref="EncryptedClientKeyFile"/>.</summary>
    public const string KeyPassphrase = "correct horse battery staple";

    readonly string _directory;

    TlsTestServer(string directory, TemporaryPostgres server)
    {
        _directory = directory;
        Server = server;
    }

    public TemporaryPostgres Server { get; }

    /// <summary>The CA that signed the server's and the client's certificates.</summary>
    public string CaFile => File("ca.crt");

    /// <summary>A CA that signed neither.</summary>
    public string OtherCaFile => File("other-ca.crt");

    public string ClientCertificateFile => File("client.crt");

    public string ClientKeyFile => File("client.key");

    /// <summary><see cref="ClientKeyFile"/> encrypted (PKCS#8, AES-256) with <see cref="KeyPassphrase"/>.</summary>
    public string EncryptedClientKeyFile => File("client-encrypted.key");

    string File(string name) => Path.Combine(_directory, name);

    public static async Task<TlsTestServer> StartAsync()
    {
        var directory = Directory.CreateTempSubdirectory("kafkacdc-tls-").FullName;
        try
        {
            await MakeCertificatesAsync(directory);
            var server = await TemporaryPostgres.StartAsync(new TemporaryPostgresTls(
                Path.Combine(directory, "server.crt"), Path.Combine(directory, "server.key"), Path.Combine(directory, "ca.crt"),
                [$"hostssl all {CertUser} 127.0.0.1/32 cert"]));
            await using var connection = new NpgsqlConnection(server.ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE ROLE {CertUser} LOGIN", connection);
            await command.ExecuteNonQueryAsync();
            return new TlsTestServer(directory, server);
        }
        catch
        {
            Directory.Delete(directory, recursive: true);
            throw;
        }
    }

    static async Task MakeCertificatesAsync(string directory)
    {
        const string curve = "ec_paramgen_curve:prime256v1";
        foreach (var ca in new[] { "ca", "other-ca" })
        {
            await OpenSslAsync(directory, "req", "-x509", "-newkey", "ec", "-pkeyopt", curve, "-nodes", "-keyout", $"{ca}.key", "-out", $"{ca}.crt",
                "-days", "2", "-subj", $"/CN=KafkaCdc test {ca}");
        }
        await System.IO.File.WriteAllTextAsync(Path.Combine(directory, "server.ext"), "subjectAltName=DNS:localhost\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n");
        await System.IO.File.WriteAllTextAsync(Path.Combine(directory, "client.ext"), "extendedKeyUsage=clientAuth\nbasicConstraints=CA:FALSE\n");
        foreach (var (name, subject) in new[] { ("server", "/CN=localhost"), ("client", $"/CN={CertUser}") })
        {
            await OpenSslAsync(directory, "req", "-new", "-newkey", "ec", "-pkeyopt", curve, "-nodes", "-keyout", $"{name}.key", "-out", $"{name}.csr", "-subj", subject);
            await OpenSslAsync(directory, "x509", "-req", "-in", $"{name}.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-set_serial", name == "server" ? "1001" : "1002",
                "-days", "2", "-extfile", $"{name}.ext", "-out", $"{name}.crt");
        }
        await OpenSslAsync(directory, "pkcs8", "-topk8", "-v2", "aes256", "-in", "client.key", "-out", "client-encrypted.key", "-passout", $"pass:{KeyPassphrase}");
    }

    static async Task OpenSslAsync(string directory, params string[] arguments)
    {
        var start = new ProcessStartInfo("openssl") { WorkingDirectory = directory, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start openssl (scripts/bootstrap.sh installs it)");
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"openssl {string.Join(' ', arguments)} exited with {process.ExitCode}: {await stderr}");
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
