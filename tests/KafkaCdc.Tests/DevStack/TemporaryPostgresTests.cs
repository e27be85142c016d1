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
}
