using Npgsql;
using NpgsqlTypes;

namespace KafkaCdc.Tests.SourceConnector;

/// <summary>
/// A uniquely named database on the run's PostgreSQL (or a test's own server) for one source test, with a unique slot and publication name
/// and the connector configuration pointing at it. Disposing drops every replication slot of the database (after
/// the connector let go of it); the harness drops the database at the end of the run.
/// </summary>
internal sealed class SourceTestDatabase : IAsyncDisposable
{
    /// <summary>Every slot a source test creates starts with this, and ends with the run's id (the leak check, <see cref="ReplicationSlotLeaks"/>, looks for that).</summary>
    public const string SlotPrefix = "srctest_";

    SourceTestDatabase(string connectionString, string prefix)
    {
        ConnectionString = connectionString;
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        Name = builder.Database!;
        SlotName = TestEnvironment.UniqueName(SlotPrefix + prefix);
        PublicationName = "pub_" + SlotName;
    }

    /// <summary>The database name.</summary>
    public string Name { get; }

    /// <summary>A superuser connection string to the database.</summary>
    public string ConnectionString { get; }

    /// <summary>The slot name the connector is configured with.</summary>
    public string SlotName { get; }

    /// <summary>The publication name the connector is configured with.</summary>
    public string PublicationName { get; }

    /// <summary>
    /// Creates the database and runs <paramref name="setupSql"/> in it: on the run's server, or on <paramref name="server"/>
    /// (a superuser connection string of a server the test started).
    /// </summary>
    public static async Task<SourceTestDatabase> CreateAsync(string prefix, string? setupSql = null, string? server = null)
    {
        var connectionString = await TestEnvironment.CreateDatabaseAsync("src_" + prefix, server);
        var database = new SourceTestDatabase(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString, prefix);
        if (setupSql is not null) await database.ExecuteAsync(setupSql);
        return database;
    }

    /// <summary>The topic of a table under the default <c>topic.name.format</c>.</summary>
    public string Topic(string table) => $"{Name}_{table}";

    /// <summary>The connector configuration for this database (superuser, no TLS, quick heartbeats and checkpoints, no REST).</summary>
    public Dictionary<string, string> Config(string? connectorName = null)
    {
        var server = new NpgsqlConnectionStringBuilder(ConnectionString);
        return new Dictionary<string, string>
        {
            ["name"] = connectorName ?? "conn_" + Name,
            ["database.hostname"] = server.Host!,
            ["database.port"] = server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["database.user"] = server.Username!,
            ["database.password"] = server.Password ?? "",
            ["database.dbname"] = Name,
            ["database.sslmode"] = "disable",
            ["slot.name"] = SlotName,
            ["publication.name"] = PublicationName,
            ["publication.autocreate.mode"] = "all_tables",
            ["heartbeat.interval.ms"] = "200",
            ["heartbeat.action"] = "none",
            ["offset.flush.interval.ms"] = "100",
            ["offset.storage.topic"] = "offsets_" + Name,
            ["kafka.bootstrap.servers"] = TestEnvironment.KafkaBootstrapServers,
            ["kafka.reconnect.backoff.ms"] = "20",
            ["kafka.reconnect.backoff.max.ms"] = "200",
            ["kafka.retry.backoff.ms"] = "20",
            ["kafka.retry.backoff.max.ms"] = "200",
            ["kafka.linger.ms"] = "5",
            ["schema.registry.url"] = TestEnvironment.RequireSchemaRegistryUrl(),
            ["rest.port"] = "0",
        };
    }

    /// <summary>Runs SQL as the superuser.</summary>
    public async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The first column of the first row.</summary>
    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>The server's current WAL position.</summary>
    public async Task<ulong> CurrentWalLsnAsync() => (ulong)await ScalarAsync<NpgsqlLogSequenceNumber>("SELECT pg_current_wal_lsn()");

    /// <summary>The slot's <c>confirmed_flush_lsn</c>, or null when the slot does not exist.</summary>
    public async Task<ulong?> ConfirmedFlushLsnAsync(string? slot = null)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT confirmed_flush_lsn FROM pg_replication_slots WHERE slot_name = $1", connection)
        { Parameters = { new() { Value = slot ?? SlotName } } };
        var value = await command.ExecuteScalarAsync();
        return value is NpgsqlLogSequenceNumber lsn ? (ulong)lsn : null;
    }

    /// <summary>Drops a slot of this database, waiting for its walsender to let go (terminating it after 10 s).</summary>
    public async Task DropSlotAsync(string slot)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            await using var active = new NpgsqlCommand("SELECT active_pid FROM pg_replication_slots WHERE slot_name = $1", connection)
            { Parameters = { new() { Value = slot } } };
            var pid = await active.ExecuteScalarAsync();
            if (pid is null) return; // no such slot
            if (pid is DBNull) break;
            if (DateTime.UtcNow > deadline)
            {
                await using var terminate = new NpgsqlCommand($"SELECT pg_terminate_backend({pid})", connection);
                await terminate.ExecuteNonQueryAsync();
            }
            await Task.Delay(50);
        }
        await using var drop = new NpgsqlCommand("SELECT pg_drop_replication_slot($1)", connection) { Parameters = { new() { Value = slot } } };
        await drop.ExecuteNonQueryAsync();
    }

    /// <summary>Drops every replication slot of the database.</summary>
    public async ValueTask DisposeAsync()
    {
        List<string> slots = [];
        await using (var connection = new NpgsqlConnection(ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT slot_name::text FROM pg_replication_slots WHERE database = current_database()", connection);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync()) slots.Add(reader.GetString(0));
        }
        foreach (var slot in slots) await DropSlotAsync(slot);
    }
}
