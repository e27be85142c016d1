namespace KafkaCdc.Tests.Shared.Postgres.Tls;

/// <summary>A fixture with its own <see cref="TlsTestServer"/>, started once for its tests and stopped after them.</summary>
public abstract class TlsServerTests
{
    /// <summary>The fixture's server with <c>ssl=on</c>, its CA, client certificates and another CA.</summary>
    internal TlsTestServer Server { get; private set; } = null!;

    [OneTimeSetUp]
    public async Task StartServerAsync() => Server = await TlsTestServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopServerAsync()
    {
        if (Server is not null) await Server.DisposeAsync();
    }
}
