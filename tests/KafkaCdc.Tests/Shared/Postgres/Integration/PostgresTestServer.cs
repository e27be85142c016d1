using KafkaCdc.DevStack.Postgres;
using Npgsql;

namespace KafkaCdc.Tests.Shared.Postgres.Integration;

/// <summary>
/// The PostgreSQL server of the type-layer integration tests: the one in <c>KCDC_TEST_PG</c> (a connection string)
/// when set, else a <see cref="TemporaryPostgres"/> of our own. Tests work in databases of their own from
/// <see cref="CreateDatabaseAsync"/>, dropped on dispose. This is the one place to switch to a shared server.
/// </summary>
internal sealed class PostgresTestServer : IAsyncDisposable
{
    private readonly TemporaryPostgres? _ownServer;
    private readonly List<string> _databases = [];

    private PostgresTestServer(string connectionString, TemporaryPostgres? ownServer)
    {
        ConnectionString = connectionString;
        _ownServer = ownServer;
    }

    /// <summary>A superuser connection string to the server's maintenance database.</summary>
    public string ConnectionString { get; }

    public static async Task<PostgresTestServer> StartAsync()
    {
        var external = Environment.GetEnvironmentVariable("KCDC_TEST_PG");
        if (!string.IsNullOrWhiteSpace(external))
        {
            return new PostgresTestServer(external, null);
        }

        var server = await TemporaryPostgres.StartAsync();
        return new PostgresTestServer(server.ConnectionString, server);
    }

    /// <summary>Creates a database named from <paramref name="prefix"/> and a random suffix; returns its connection string with the pinned session settings.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix)
    {
        var name = $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 33, 63)].ToLowerInvariant();
        await using (var connection = new NpgsqlConnection(ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }

        lock (_databases)
        {
            _databases.Add(name);
        }

        return KafkaCdc.Shared.Postgres.PgSessionSettings.Pin(new NpgsqlConnectionStringBuilder(ConnectionString) { Database = name, Pooling = false }.ConnectionString);
    }

    public async ValueTask DisposeAsync()
    {
        if (_ownServer is not null)
        {
            await _ownServer.DisposeAsync();
            return;
        }

        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        foreach (var name in _databases)
        {
            await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
            await command.ExecuteNonQueryAsync();
        }
    }
}
