using System.Diagnostics;
using Confluent.Kafka;
using KafkaCdc.Shared.Postgres;
using Npgsql;

namespace KafkaCdc.Tests.SinkConnector.Support;

/// <summary>
/// A destination database for a sink test, set up the way an administrator would: a fresh database, then
/// <c>schemas/sql/sink-setup.sql</c> run with psql, creating a non-superuser and its schema. The sink connects as that
/// user; the test inspects the database as the superuser. Databases and users are dropped by <see cref="SinkTestSetUp"/>.
/// </summary>
internal sealed class SinkDestination
{
    static readonly List<(string Database, string User)> s_created = [];

    SinkDestination(string adminConnectionString, string user, string password, string schema)
    {
        AdminConnectionString = adminConnectionString;
        User = user;
        Password = password;
        Schema = schema;
        var builder = new NpgsqlConnectionStringBuilder(adminConnectionString);
        Host = builder.Host!;
        Port = builder.Port;
        Database = builder.Database!;
    }

    /// <summary>A superuser connection string to the destination database, session settings pinned.</summary>
    public string AdminConnectionString { get; }

    /// <summary>The sink's user, created by the setup script.</summary>
    public string User { get; }

    /// <summary>Its password.</summary>
    public string Password { get; }

    /// <summary>The schema the script created for the sink.</summary>
    public string Schema { get; }

    /// <summary>The server's host.</summary>
    public string Host { get; }

    /// <summary>The server's port.</summary>
    public int Port { get; }

    /// <summary>The database.</summary>
    public string Database { get; }

    /// <summary>
    /// Creates the database and runs the setup script for a new user and <paramref name="schema"/>: on the run's server,
    /// or on <paramref name="server"/> (a superuser connection string of a server the test started, which goes with its data).
    /// </summary>
    public static async Task<SinkDestination> CreateAsync(string prefix, string schema = "kafkacdc", string? server = null)
    {
        var connectionString = await TestEnvironment.CreateDatabaseAsync(prefix, server);
        var user = TestEnvironment.UniqueName("sink_user");
        var password = "pw-" + Guid.NewGuid().ToString("N");
        if (server is null) lock (s_created) s_created.Add((new NpgsqlConnectionStringBuilder(connectionString).Database!, user));
        await RunSetupScriptAsync(connectionString, user, password, schema);
        var admin = PgSessionSettings.Pin(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        return new SinkDestination(admin, user, password, schema);
    }

    /// <summary>The <c>connection.*</c> and <c>schema.name</c> keys for the sink.</summary>
    public Dictionary<string, string> SinkConfig() => new()
    {
        ["connection.hostname"] = Host,
        ["connection.port"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["connection.username"] = User,
        ["connection.password"] = Password,
        ["connection.database"] = Database,
        ["connection.sslmode"] = "disable",
        ["schema.name"] = Schema,
    };

    /// <summary>Every row of <paramref name="table"/> (in the sink's schema) as <c>row::text</c>, sorted.</summary>
    public async Task<List<string>> RowTextsAsync(string table)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT t::text FROM {PgIdentifier.Quote(Schema, table)} t", connection);
        var rows = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) rows.Add(reader.GetString(0));
        rows.Sort(StringComparer.Ordinal);
        return rows;
    }

    /// <summary>Runs <paramref name="sql"/> as the superuser.</summary>
    public async Task ExecuteAsync(string sql)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The first column of the first row of <paramref name="sql"/>, as the superuser.</summary>
    public async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        var value = await command.ExecuteScalarAsync();
        return value is DBNull ? null : value;
    }

    /// <summary>Whether the table exists in the sink's schema.</summary>
    public async Task<bool> TableExistsAsync(string table) =>
        await ScalarAsync($"SELECT to_regclass('{PgIdentifier.Quote(Schema, table).Replace("'", "''")}') IS NOT NULL") is true;

    /// <summary>The columns of <paramref name="table"/> as <c>name type</c> (format_type), in order.</summary>
    public async Task<List<string>> ColumnsAsync(string table)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT a.attname || ' ' || format_type(a.atttypid, a.atttypmod) || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END
            FROM pg_attribute a WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum
            """, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = PgIdentifier.Quote(Schema, table) });
        var columns = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) columns.Add(reader.GetString(0));
        return columns;
    }

    /// <summary>The next offsets the sink recorded for <paramref name="groupId"/>, by topic and partition.</summary>
    public async Task<Dictionary<(string Topic, int Partition), long>> RecordedOffsetsAsync(string groupId)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand(
            $"SELECT topic, partition, next_offset FROM {PgIdentifier.Quote(Schema, "kafkacdc_sink_offsets")} WHERE group_id = $1", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = groupId });
        var offsets = new Dictionary<(string, int), long>();
        try
        {
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync()) offsets[(reader.GetString(0), reader.GetInt32(1))] = reader.GetInt64(2);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            // Not created yet: the sink has not started.
        }
        return offsets;
    }

    /// <summary>Waits until the sink of <paramref name="groupId"/> recorded every record of <paramref name="topic"/> as applied.</summary>
    public async Task WaitUntilAppliedAsync(string groupId, string topic, TimeSpan? timeout = null)
    {
        var ends = EndOffsets(topic);
        await Poll.UntilAsync(async () =>
        {
            var recorded = await RecordedOffsetsAsync(groupId);
            return ends.All(e => e.Value == 0 || recorded.GetValueOrDefault((topic, e.Key)) >= e.Value);
        }, timeout ?? TimeSpan.FromSeconds(60), $"group {groupId} to apply {topic} up to its end offsets {string.Join(", ", ends.Select(e => $"{e.Key}:{e.Value}"))}");
    }

    /// <summary>The end offset of each partition of <paramref name="topic"/>.</summary>
    public static Dictionary<int, long> EndOffsets(string topic)
    {
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
        {
            BootstrapServers = TestEnvironment.KafkaBootstrapServers,
            GroupId = "unused-" + topic,
        }).Build();
        using var admin = new DependentAdminClientBuilder(consumer.Handle).Build();
        var partitions = admin.GetMetadata(topic, TimeSpan.FromSeconds(10)).Topics.Single().Partitions;
        return partitions.ToDictionary(p => p.PartitionId,
            p => consumer.QueryWatermarkOffsets(new TopicPartition(topic, p.PartitionId), TimeSpan.FromSeconds(10)).High.Value);
    }

    /// <summary>Drops every database and user created, for <see cref="SinkTestSetUp"/>.</summary>
    internal static async Task DropAllAsync()
    {
        List<(string Database, string User)> created;
        lock (s_created)
        {
            created = [.. s_created];
            s_created.Clear();
        }
        if (created.Count == 0) return;
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(TestEnvironment.PostgresConnectionString);
        await connection.OpenAsync();
        foreach (var (database, user) in created)
        {
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE); DROP ROLE IF EXISTS \"{user}\"", connection);
            await drop.ExecuteNonQueryAsync();
        }
    }

    async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    static async Task RunSetupScriptAsync(string connectionString, string user, string password, string schema)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var start = new ProcessStartInfo("psql")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "--no-psqlrc", "--quiet", "-h", builder.Host!, "-p", builder.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-U", builder.Username!, "-d", builder.Database!,
            "-v", $"user={user}", "-v", $"password={password}", "-v", $"schema={schema}", "-f", Repository.File("schemas/sql/sink-setup.sql"),
        })
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["PGPASSWORD"] = builder.Password;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"schemas/sql/sink-setup.sql failed ({process.ExitCode}): {await output}{await error}");
    }
}
