namespace KafkaCdc.Tests.Shared.Postgres.Integration;

/// <summary>Starts one <see cref="PostgresTestServer"/> for all fixtures of this namespace.</summary>
[SetUpFixture]
public sealed class PostgresServerSetUp
{
    private static PostgresTestServer? _server;

    internal static PostgresTestServer Server => _server ?? throw new InvalidOperationException("the PostgreSQL test server is not running");

    [OneTimeSetUp]
    public async Task StartServerAsync() => _server = await PostgresTestServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopServerAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
            _server = null;
        }
    }
}
