using KafkaCdc.SinkConnector.Hosting;
using KafkaCdc.Tests.Shared.Postgres.Tls;
using KafkaCdc.Tests.SinkConnector.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace KafkaCdc.Tests.SinkConnector.Hosting;

/// <summary>
/// The sink against a server with TLS: <c>check</c>'s TLS line says what was verified, or why it failed naming the key;
/// <c>run</c> with a certificate that does not verify stops (exit code 1) saying the same.
/// </summary>
public class SinkTlsTests
{
    TlsTestServer _server = null!;

    [OneTimeSetUp]
    public async Task StartServerAsync() => _server = await TlsTestServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopServerAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }

    [Test]
    public async Task Check_Process_VerifyFullWithAClientCertificate_ConnectsAndPrintsTheTlsLine()
    {
        var config = Config(_server.CaFile);

        await using var check = ConnectorProcess.StartSink(config, "check");

        Assert.That(await check.WaitForExitAsync(TimeSpan.FromSeconds(60)), Is.EqualTo(3), check.Output); // the topic is missing
        Assert.That(check.Output, Does.Contain($"PASS connect to {TlsTestServer.CertUser}@localhost:{_server.Server.Port}/postgres"));
        Assert.That(check.Output, Does.Match(
            $"PASS TLS: verify-full, server certificate verified against the CA in '{_server.CaFile}' for host name 'localhost', " +
            $@"protocol TLSv1\.[23] \(.+\), client certificate /CN={TlsTestServer.CertUser}"));
        Assert.That(check.Output, Does.Not.Contain(TlsTestServer.KeyPassphrase));
    }

    [Test]
    public async Task Check_VerifyFullWithAnotherCa_FailsTheTlsLine_NamingSslRootCert()
    {
        var options = SinkConfigs.Options(Config(_server.OtherCaFile));
        using var output = new StringWriter();

        var passed = await SinkCheck.RunAsync(options, output, NullLoggerFactory.Instance, CancellationToken.None);

        Assert.That(passed, Is.False);
        Assert.That(output.ToString(), Does.Contain($"FAIL connect to {TlsTestServer.CertUser}@localhost:{_server.Server.Port}/postgres: the TLS handshake failed (see TLS)"));
        Assert.That(output.ToString(), Does.Contain($"FAIL TLS: TLS with localhost:{_server.Server.Port} failed: connection.sslrootcert: the server's certificate (CN=localhost, issued by CN=KafkaCdc test ca)")
            .And.Contain($"is not signed by the CA in '{_server.OtherCaFile}'"));
    }

    [Test]
    public async Task Run_WithAnotherCa_ExitsOne_NamingSslRootCert()
    {
        await using var sink = ConnectorProcess.StartSink(Config(_server.OtherCaFile));

        Assert.That(await sink.WaitForExitAsync(TimeSpan.FromSeconds(60)), Is.EqualTo(1), sink.Output);
        Assert.That(sink.Output, Does.Contain($"connection.sslrootcert: the server's certificate (CN=localhost, issued by CN=KafkaCdc test ca) is not signed by the CA in '{_server.OtherCaFile}'"));
        Assert.That(sink.Output, Does.Not.Contain(TlsTestServer.KeyPassphrase));
    }

    Dictionary<string, string> Config(string rootCertificate) => new()
    {
        ["name"] = TestEnvironment.UniqueName("tls_sink"),
        ["topics"] = TestEnvironment.UniqueName("tls_missing"),
        ["connection.hostname"] = "localhost",
        ["connection.port"] = _server.Server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["connection.username"] = TlsTestServer.CertUser,
        ["connection.database"] = "postgres",
        ["connection.sslmode"] = "verify-full",
        ["connection.sslrootcert"] = rootCertificate,
        ["connection.sslcert"] = _server.ClientCertificateFile,
        ["connection.sslkey"] = _server.EncryptedClientKeyFile,
        ["connection.sslpassword"] = TlsTestServer.KeyPassphrase,
        ["kafka.bootstrap.servers"] = TestEnvironment.KafkaBootstrapServers,
        ["schema.registry.url"] = TestEnvironment.RequireSchemaRegistryUrl(),
        ["rest.port"] = "0",
    };
}
