using KafkaCdc.SinkConnector.Hosting;
using KafkaCdc.Tests.Shared.Postgres.Tls;
using KafkaCdc.Tests.SinkConnector.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace KafkaCdc.Tests.SinkConnector.Hosting;

/// <summary>
/// The sink against a server with TLS: <c>check</c>'s TLS line says what was verified, or why it failed naming the key;
/// <c>run</c> with a certificate that does not verify stops (exit code 1) saying the same.
/// </summary>
public class SinkTlsTests : TlsServerTests
{
    [Test]
    public async Task Check_Process_VerifyFullWithAClientCertificate_ConnectsAndPrintsTheTlsLine()
    {
        var config = Config(Server.CaFile);

        await using var check = ConnectorProcess.StartSink(config, "check");

        Assert.That(await check.WaitForExitAsync(TimeSpan.FromSeconds(60)), Is.EqualTo(3), check.Output); // the topic is missing
        Assert.That(check.Output, Does.Contain($"PASS connect to {TlsTestServer.CertUser}@localhost:{Server.Server.Port}/postgres"));
        Assert.That(check.Output, Does.Match(
            $"PASS TLS: verify-full, server certificate verified against the CA in '{Server.CaFile}' for host name 'localhost', " +
            $@"protocol TLSv1\.[23] \(.+\), client certificate /CN={TlsTestServer.CertUser}"));
        Assert.That(check.Output, Does.Not.Contain(TlsTestServer.KeyPassphrase));
    }

    [Test]
    public async Task Check_VerifyFullWithAnotherCa_FailsTheTlsLine_NamingSslRootCert()
    {
        var options = SinkConfigs.Options(Config(Server.OtherCaFile));
        using var output = new StringWriter();

        var passed = await SinkCheck.RunAsync(options, output, NullLoggerFactory.Instance, CancellationToken.None);

        Assert.That(passed, Is.False);
        Assert.That(output.ToString(), Does.Contain($"FAIL connect to {TlsTestServer.CertUser}@localhost:{Server.Server.Port}/postgres: the TLS handshake failed (see TLS)"));
        Assert.That(output.ToString(), Does.Contain($"FAIL TLS: TLS with localhost:{Server.Server.Port} failed: connection.sslrootcert: the server's certificate (CN=localhost, issued by CN=KafkaCdc test ca)")
            .And.Contain($"is not signed by the CA in '{Server.OtherCaFile}'"));
    }

    [Test]
    public async Task Run_WithAnotherCa_ExitsOne_NamingSslRootCert()
    {
        await using var sink = ConnectorProcess.StartSink(Config(Server.OtherCaFile));

        Assert.That(await sink.WaitForExitAsync(TimeSpan.FromSeconds(60)), Is.EqualTo(1), sink.Output);
        Assert.That(sink.Output, Does.Contain($"connection.sslrootcert: the server's certificate (CN=localhost, issued by CN=KafkaCdc test ca) is not signed by the CA in '{Server.OtherCaFile}'"));
        Assert.That(sink.Output, Does.Not.Contain(TlsTestServer.KeyPassphrase));
    }

    Dictionary<string, string> Config(string rootCertificate) => new()
    {
        ["name"] = TestEnvironment.UniqueName("tls_sink"),
        ["topics"] = TestEnvironment.UniqueName("tls_missing"),
        ["connection.hostname"] = "localhost",
        ["connection.port"] = Server.Server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["connection.username"] = TlsTestServer.CertUser,
        ["connection.database"] = "postgres",
        ["connection.sslmode"] = "verify-full",
        ["connection.sslrootcert"] = rootCertificate,
        ["connection.sslcert"] = Server.ClientCertificateFile,
        ["connection.sslkey"] = Server.EncryptedClientKeyFile,
        ["connection.sslpassword"] = TlsTestServer.KeyPassphrase,
        ["kafka.bootstrap.servers"] = TestEnvironment.KafkaBootstrapServers,
        ["schema.registry.url"] = TestEnvironment.RequireSchemaRegistryUrl(),
        ["rest.port"] = "0",
    };
}
