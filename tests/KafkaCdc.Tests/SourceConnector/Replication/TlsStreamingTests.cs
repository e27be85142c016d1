using KafkaCdc.SourceConnector.Status;
using KafkaCdc.Tests.Shared.Postgres.Tls;
using Npgsql;

namespace KafkaCdc.Tests.SourceConnector.Replication;

/// <summary>
/// The source over TLS end to end: snapshot and replication connections under verify-full, and a certificate that does
/// not verify stopping the connector (not retrying) with the key to change.
/// </summary>
public class TlsStreamingTests : TlsServerTests
{
    [Test]
    public async Task Stream_UnderVerifyFull_SnapshotsAndStreams_OverAnEncryptedReplicationConnection()
    {
        var table = TestEnvironment.UniqueName("tls_t");
        await ExecuteAsync($"CREATE TABLE {table} (id integer PRIMARY KEY); INSERT INTO {table} VALUES (1)");
        var config = Config(Server.CaFile);

        await using var connector = await InProcessConnector.StartStreamingAsync(config);
        await ExecuteAsync($"INSERT INTO {table} VALUES (2)");
        var records = await ChangeTopic.ReadAsync($"postgres_{table}", 2);
        var replicationSsl = await ScalarAsync<bool?>(
            "SELECT s.ssl FROM pg_stat_replication r JOIN pg_stat_ssl s USING (pid) WHERE r.application_name LIKE '% (replication)'");
        var exitCode = await connector.StopAsync();

        Assert.Multiple(() =>
        {
            // The two rows' keys may hash to different partitions, and records come sorted by partition: compare by id.
            Assert.That(records.Select(r => (r.Op, (int)r.After!["id"]!)).OrderBy(r => r.Item2), Is.EqualTo(new[] { ("r", 1), ("c", 2) }));
            Assert.That(replicationSsl, Is.True, "the replication connection is encrypted");
            Assert.That(exitCode, Is.Zero, connector.Log);
        });
    }

    [Test]
    public async Task Start_WithAnotherCa_StopsWithoutRetrying_NamingSslRootCert()
    {
        await using var connector = InProcessConnector.Start(Config(Server.OtherCaFile));

        await connector.WaitForStateAsync(ConnectorState.Failed, TimeSpan.FromSeconds(60));

        Assert.Multiple(() =>
        {
            Assert.That(connector.Status.Error, Does.Contain($"database.sslrootcert: the server's certificate (CN=localhost, issued by CN=KafkaCdc test ca) is not signed by the CA in '{Server.OtherCaFile}'"));
            Assert.That(connector.Status.Restarts, Is.Zero, "a certificate that does not verify is not retried");
        });
        Assert.That(await connector.Exit.WaitAsync(TimeSpan.FromSeconds(30)), Is.EqualTo(1));
    }

    Dictionary<string, string> Config(string rootCertificate)
    {
        var name = TestEnvironment.UniqueName("tls_src");
        return new()
        {
            ["name"] = name,
            ["database.hostname"] = "localhost",
            ["database.port"] = Server.Server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["database.user"] = KafkaCdc.DevStack.Postgres.TemporaryPostgres.SuperUser,
            ["database.password"] = Server.Server.Password,
            ["database.dbname"] = "postgres",
            ["database.sslmode"] = "verify-full",
            ["database.sslrootcert"] = rootCertificate,
            ["slot.name"] = name,
            ["publication.name"] = name,
            ["publication.autocreate.mode"] = "all_tables",
            ["heartbeat.action"] = "none",
            ["offset.flush.interval.ms"] = "100",
            ["offset.storage.topic"] = "offsets_" + name,
            ["kafka.bootstrap.servers"] = TestEnvironment.KafkaBootstrapServers,
            ["schema.registry.url"] = TestEnvironment.RequireSchemaRegistryUrl(),
            ["rest.port"] = "0",
        };
    }

    async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(Server.Server.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(Server.Server.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
