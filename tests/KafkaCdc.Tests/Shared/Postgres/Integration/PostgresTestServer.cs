using KafkaCdc.Shared.Postgres;
using Npgsql;

namespace KafkaCdc.Tests.Shared.Postgres.Integration;

/// <summary>
/// The PostgreSQL server of the type-layer integration tests: the test run's shared server
/// (<see cref="TestEnvironment.PostgresConnectionString"/>). Tests work in databases of their own from
/// <see cref="CreateDatabaseAsync"/>, which the harness drops at the end of the run.
/// </summary>
internal sealed class PostgresTestServer : IAsyncDisposable
{
    /// <summary>A superuser connection string to the server's maintenance database.</summary>
    public string ConnectionString { get; } = TestEnvironment.PostgresConnectionString;

    public static Task<PostgresTestServer> StartAsync() => Task.FromResult(new PostgresTestServer());

    /// <summary>Creates a uniquely named database; returns its connection string with the pinned session settings.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix)
    {
        var connectionString = await TestEnvironment.CreateDatabaseAsync(prefix);
        return PgSessionSettings.Pin(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
