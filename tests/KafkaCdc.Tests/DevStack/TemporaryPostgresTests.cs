using KafkaCdc.DevStack.Postgres;
using Npgsql;

namespace KafkaCdc.Tests.DevStack;

public class TemporaryPostgresTests
{
    [Test]
    public async Task StartAsync_GivesLogicalReplicationServer_RemovedOnDispose()
    {
        string connectionString;
        await using (var server = await TemporaryPostgres.StartAsync())
        {
            connectionString = server.ConnectionString;
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SHOW wal_level", connection);
            Assert.That(await command.ExecuteScalarAsync(), Is.EqualTo("logical"));
        }

        await using var after = new NpgsqlConnection(connectionString + ";Timeout=2");
        Assert.ThrowsAsync<NpgsqlException>(() => after.OpenAsync());
    }

    [TestCase(PostgresShutdownMode.Fast, false)]
    [TestCase(PostgresShutdownMode.Immediate, true)]
    public async Task StopAsync_ThenStartAgain_SamePortAndData_RecoversAfterImmediate(PostgresShutdownMode mode, bool recovers)
    {
        await using var server = await TemporaryPostgres.StartAsync();
        var connectionString = server.ConnectionString + ";Pooling=false;Timeout=2";
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            // Committed durably despite the server's synchronous_commit=off, so that a crash cannot lose it.
            await using var command = new NpgsqlCommand("SET synchronous_commit = on; CREATE TABLE kept (n integer); INSERT INTO kept VALUES (42)", connection);
            await command.ExecuteNonQueryAsync();

            await server.StopAsync(mode);
            await using var broken = new NpgsqlCommand("SELECT 1", connection);
            Assert.ThrowsAsync(Is.InstanceOf<NpgsqlException>(), () => broken.ExecuteScalarAsync(), "the session ended with the server");
        }
        await using (var down = new NpgsqlConnection(connectionString))
            Assert.ThrowsAsync(Is.InstanceOf<NpgsqlException>(), () => down.OpenAsync(), "nothing listens while it is stopped");

        await server.StartAgainAsync(); // the same port: connectionString reaches it again
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT n FROM kept", connection);
            Assert.That(await command.ExecuteScalarAsync(), Is.EqualTo(42));
        }
        Assert.That(server.ReadServerLog(), recovers ? Does.Contain("automatic recovery in progress") : Does.Not.Contain("automatic recovery in progress"),
            $"after a {mode} stop the server starts {(recovers ? "with" : "without")} WAL recovery");
    }
}
