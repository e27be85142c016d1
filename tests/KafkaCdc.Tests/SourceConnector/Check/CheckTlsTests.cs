using KafkaCdc.Shared.Configuration;
using KafkaCdc.SourceConnector.Check;
using KafkaCdc.SourceConnector.Configuration;
using KafkaCdc.Tests.Shared.Postgres.Tls;

namespace KafkaCdc.Tests.SourceConnector.Check;

/// <summary><c>check</c> against a server with TLS: the TLS line says what was verified, or why it failed naming the key.</summary>
public class CheckTlsTests : TlsServerTests
{
    [Test]
    public async Task Check_VerifyFullWithAClientCertificate_PassesTheConnectionAndSaysWhatTlsVerified()
    {
        var results = await CheckAsync(Config("localhost"));

        Assert.Multiple(() =>
        {
            Assert.That(Line(results, "connection"), Does.StartWith($"PASS  connection: connected to database 'postgres' as '{TlsTestServer.CertUser}'"));
            Assert.That(Line(results, "TLS"), Does.Match(
                $"^PASS  TLS: verify-full, server certificate verified against the CA in '{Server.CaFile}' for host name 'localhost', " +
                $@"protocol TLSv1\.[23] \(.+\), client certificate /CN={TlsTestServer.CertUser}$"));
        });
    }

    [Test]
    public async Task Check_VerifyFullWithAnotherHostName_FailsTheTlsLine_NamingTheHostAndTheFix()
    {
        var results = await CheckAsync(Config("127.0.0.1"));

        Assert.Multiple(() =>
        {
            Assert.That(Line(results, "connection"), Does.StartWith("FAIL  connection: cannot connect").And.Contain("the TLS handshake failed"));
            Assert.That(Line(results, "TLS"), Does.StartWith($"FAIL  TLS: TLS with 127.0.0.1:{Server.Server.Port} failed: database.hostname: host name '127.0.0.1' does not match")
                .And.EndWith("use database.sslmode=verify-ca"));
        });
    }

    Dictionary<string, string> Config(string host) => new()
    {
        ["name"] = TestEnvironment.UniqueName("tls_check"),
        ["database.hostname"] = host,
        ["database.port"] = Server.Server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["database.user"] = TlsTestServer.CertUser,
        ["database.dbname"] = "postgres",
        ["database.sslmode"] = "verify-full",
        ["database.sslrootcert"] = Server.CaFile,
        ["database.sslcert"] = Server.ClientCertificateFile,
        ["database.sslkey"] = Server.EncryptedClientKeyFile,
        ["database.sslpassword"] = TlsTestServer.KeyPassphrase,
        ["slot.name"] = TestEnvironment.UniqueName("tls_slot"),
        ["publication.autocreate.mode"] = "disabled",
        ["heartbeat.action"] = "none",
        ["offset.storage.topic"] = TestEnvironment.UniqueName("tls_offsets"),
        ["kafka.bootstrap.servers"] = TestEnvironment.KafkaBootstrapServers,
        ["schema.registry.url"] = TestEnvironment.RequireSchemaRegistryUrl(),
        ["rest.port"] = "0",
    };

    static Task<IReadOnlyList<CheckResult>> CheckAsync(Dictionary<string, string> config) =>
        PrerequisiteCheck.CheckAsync(SourceOptions.Read(new ConfigReader(RawConfig.FromPairs(config), new Dictionary<string, string>())), CancellationToken.None);

    static string Line(IReadOnlyList<CheckResult> results, string item) =>
        results.SingleOrDefault(r => r.Item == item)?.ToString() ?? $"no '{item}' line in: {string.Join(" | ", results)}";
}
