using KafkaCdc.Shared.Configuration;
using KafkaCdc.Shared.Failures;
using KafkaCdc.Shared.Postgres;
using Npgsql;

namespace KafkaCdc.Tests.Shared.Postgres.Tls;

/// <summary>
/// <see cref="PgConnectionSettings"/>' TLS against a real server with <c>ssl=on</c> (<see cref="TlsTestServer"/>): each
/// sslmode with the right and the wrong CA and host name, client certificates with and without a passphrase, and the
/// start-up checks of the TLS files. Failures must be permanent and say which key to change.
/// </summary>
public class PgTlsTests : TlsServerTests
{
    [Test]
    public async Task Require_Encrypts_WithoutVerifyingTheName()
    {
        var settings = Settings("127.0.0.1", "require");

        Assert.That(await SslOfAsync(settings), Is.EqualTo((true, TemporaryPostgresSuperUser)));
    }

    [Test]
    public async Task VerifyFull_WithTheRightCaAndName_Connects() =>
        Assert.That(await SslOfAsync(Settings("localhost", "verify-full", Server.CaFile)), Is.EqualTo((true, TemporaryPostgresSuperUser)));

    [Test]
    public async Task VerifyCa_WithTheRightCa_AcceptsAnotherHostName() =>
        Assert.That(await SslOfAsync(Settings("127.0.0.1", "verify-ca", Server.CaFile)), Is.EqualTo((true, TemporaryPostgresSuperUser)));

    [Test]
    public async Task VerifyFull_WithAnotherCa_FailsPermanently_NamingSslRootCert()
    {
        var settings = Settings("localhost", "verify-full", Server.OtherCaFile);

        var error = Assert.ThrowsAsync<NpgsqlException>(() => SslOfAsync(settings))!;
        var message = await PgTlsDiagnosis.DescribeAsync(error, settings, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(PgTlsDiagnosis.IsTlsFailure(error), Is.True, error.ToString());
            Assert.That(PgErrorClassification.Classify(error), Is.EqualTo(FailureKind.Permanent));
            Assert.That(message, Does.StartWith($"TLS with localhost:{Server.Server.Port} failed: database.sslrootcert: the server's certificate (CN=localhost, issued by CN=KafkaCdc test ca)")
                .And.Contain($"is not signed by the CA in '{Server.OtherCaFile}'").And.EndWith("set database.sslrootcert to the CA that signed it"));
        });
    }

    [Test]
    public async Task VerifyFull_WithAnotherHostName_FailsPermanently_NamingTheHostAndTheNamesInTheCertificate()
    {
        var settings = Settings("127.0.0.1", "verify-full", Server.CaFile);

        var error = Assert.ThrowsAsync<NpgsqlException>(() => SslOfAsync(settings))!;
        var message = await PgTlsDiagnosis.DescribeAsync(error, settings, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(PgErrorClassification.Classify(error), Is.EqualTo(FailureKind.Permanent));
            Assert.That(message, Does.Contain("database.hostname: host name '127.0.0.1' does not match the server's certificate (CN=localhost")
                .And.Contain("issued for 'localhost'").And.EndWith("connect with a name in the certificate, or use database.sslmode=verify-ca"));
        });
    }

    [Test]
    public void Require_WithSslRootCert_VerifiesTheCa_AsLibpqDoes()
    {
        var settings = Settings("localhost", "require", Server.OtherCaFile);

        Assert.That(settings.EffectiveSslMode, Is.EqualTo(SslMode.VerifyCA));
        Assert.ThrowsAsync<NpgsqlException>(() => SslOfAsync(settings));
    }

    [Test]
    public async Task ClientCertificate_LogsInWithoutPassword_WhereTheServerDemandsCert()
    {
        var withCertificate = Settings("localhost", "verify-full", Server.CaFile, TlsTestServer.CertUser,
            ("sslcert", Server.ClientCertificateFile), ("sslkey", Server.ClientKeyFile));
        var withoutCertificate = Settings("localhost", "verify-full", Server.CaFile, TlsTestServer.CertUser);

        Assert.That(await SslOfAsync(withCertificate), Is.EqualTo((true, TlsTestServer.CertUser)));
        var refused = Assert.ThrowsAsync<PostgresException>(() => SslOfAsync(withoutCertificate))!;
        Assert.That(refused.SqlState, Is.EqualTo("28000"), refused.Message);
    }

    [Test]
    public async Task EncryptedClientKey_OpensWithSslPassword()
    {
        var settings = Settings("localhost", "verify-full", Server.CaFile, TlsTestServer.CertUser,
            ("sslcert", Server.ClientCertificateFile), ("sslkey", Server.EncryptedClientKeyFile), ("sslpassword", TlsTestServer.KeyPassphrase));

        Assert.That(await SslOfAsync(settings), Is.EqualTo((true, TlsTestServer.CertUser)));
    }

    [Test]
    public void Read_MissingFiles_AreProblemsNamingTheirKeys()
    {
        var missing = Path.Combine(Path.GetTempPath(), "kafkacdc-no-such-ca.crt");

        var error = Assert.Throws<ConfigException>(() => Settings("localhost", "verify-full", missing, TlsTestServer.CertUser,
            ("sslcert", missing + ".client"), ("sslkey", Server.ClientKeyFile)))!;

        Assert.That(error.Problems, Is.EquivalentTo(new[]
        {
            $"database.sslrootcert: file '{missing}' does not exist",
            $"database.sslcert: file '{missing}.client' does not exist",
        }));
    }

    [Test]
    public void Read_EncryptedKeyWithoutOrWithAWrongPassphrase_IsAProblemOfSslPassword_ThatNeverShowsIt()
    {
        var without = Assert.Throws<ConfigException>(() => Settings("localhost", "verify-full", Server.CaFile, TlsTestServer.CertUser,
            ("sslcert", Server.ClientCertificateFile), ("sslkey", Server.EncryptedClientKeyFile)))!;
        var wrong = Assert.Throws<ConfigException>(() => Settings("localhost", "verify-full", Server.CaFile, TlsTestServer.CertUser,
            ("sslcert", Server.ClientCertificateFile), ("sslkey", Server.EncryptedClientKeyFile), ("sslpassword", "not-the-passphrase")))!;

        Assert.Multiple(() =>
        {
            Assert.That(without.Problems, Is.EqualTo(new[] { $"database.sslpassword: is required: the client key in '{Server.EncryptedClientKeyFile}' is encrypted" }));
            Assert.That(wrong.Problems, Has.One.StartsWith($"database.sslpassword: does not open the client key in '{Server.EncryptedClientKeyFile}'"));
            Assert.That(wrong.Message, Does.Not.Contain("not-the-passphrase"));
        });
    }

    [Test]
    public void Read_KeysWithoutWhatTheyBelongTo_AreProblems()
    {
        var error = Assert.Throws<ConfigException>(() => Settings("localhost", "disable", Server.CaFile, TlsTestServer.CertUser,
            ("sslkey", Server.ClientKeyFile), ("sslpassword", "x")))!;

        Assert.That(error.Problems, Is.EquivalentTo(new[]
        {
            "database.sslrootcert: is not used with database.sslmode=disable (no TLS); remove it or choose another database.sslmode",
            "database.sslkey: is not used with database.sslmode=disable (no TLS); remove it or choose another database.sslmode",
        }));
    }

    [Test]
    public void Read_SslPassword_IsASecret_InTheEffectiveSettings()
    {
        var reader = Reader("localhost", "verify-full", Server.CaFile, TlsTestServer.CertUser,
            ("sslcert", Server.ClientCertificateFile), ("sslkey", Server.EncryptedClientKeyFile), ("sslpassword", TlsTestServer.KeyPassphrase));

        var settings = PgConnectionSettings.Read(reader, s_keys);
        reader.ThrowIfProblems();

        Assert.Multiple(() =>
        {
            Assert.That(reader.Effective["database.sslpassword"], Is.EqualTo("****"));
            Assert.That(reader.Effective["database.sslkey"], Is.EqualTo(Server.EncryptedClientKeyFile));
            Assert.That(settings.ToString(), Does.Not.Contain(TlsTestServer.KeyPassphrase));
        });
    }

    const string TemporaryPostgresSuperUser = KafkaCdc.DevStack.Postgres.TemporaryPostgres.SuperUser;

    static readonly PgConnectionKeys s_keys =
        PgConnectionKeys.WithTlsPrefix("database.", "database.hostname", "database.port", "database.user", "database.password", "database.dbname");

    ConfigReader Reader(string host, string sslMode, string? rootCertificate, string user = TemporaryPostgresSuperUser, params (string Key, string Value)[] more)
    {
        var pairs = new Dictionary<string, string>
        {
            ["database.hostname"] = host,
            ["database.port"] = Server.Server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["database.user"] = user,
            ["database.dbname"] = "postgres",
            ["database.sslmode"] = sslMode,
        };
        if (user == TemporaryPostgresSuperUser) pairs["database.password"] = Server.Server.Password;
        if (rootCertificate is not null) pairs["database.sslrootcert"] = rootCertificate;
        foreach (var (key, value) in more) pairs["database." + key] = value;
        return new ConfigReader(RawConfig.FromPairs(pairs), new Dictionary<string, string>());
    }

    /// <summary>Reads settings as a connector does; throws the <see cref="ConfigException"/> with every problem.</summary>
    PgConnectionSettings Settings(string host, string sslMode, string? rootCertificate = null, string user = TemporaryPostgresSuperUser, params (string Key, string Value)[] more)
    {
        var reader = Reader(host, sslMode, rootCertificate, user, more);
        var settings = PgConnectionSettings.Read(reader, s_keys);
        reader.ThrowIfProblems();
        return settings;
    }

    /// <summary>Connects and asks the server whether the connection is encrypted and who logged in.</summary>
    static async Task<(bool Ssl, string User)> SslOfAsync(PgConnectionSettings settings)
    {
        var builder = settings.Builder("kafkacdc-tls-test");
        builder.Pooling = false;
        builder.Timeout = 10;
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT ssl, current_user::text FROM pg_stat_ssl WHERE pid = pg_backend_pid()", connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetBoolean(0), reader.GetString(1));
    }
}
