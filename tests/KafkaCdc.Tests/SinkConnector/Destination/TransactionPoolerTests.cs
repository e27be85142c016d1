using KafkaCdc.Shared.Postgres;
using KafkaCdc.SinkConnector.Hosting;
using KafkaCdc.Tests.SinkConnector.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace KafkaCdc.Tests.SinkConnector.Destination;

/// <summary>
/// The sink through a real PgBouncer in transaction mode (<see cref="PgBouncerProcess"/>, two server sessions for the
/// sink's user): every transaction may run in another server session, and what one client leaves in a session another
/// sees. The sink keeps nothing across transactions, so it works there as it does directly.
/// </summary>
public class TransactionPoolerTests
{
    string _source = "";
    SinkDestination _destination = null!;
    PgBouncerProcess _pooler = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _source = await SourceTable.CreateDatabaseAsync("pooled_src");
        _destination = await SinkDestination.CreateAsync("pooled_dst");
        _pooler = await PgBouncerProcess.StartAsync(_destination.Host, _destination.Port, [(_destination.User, _destination.Password)]);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_pooler is not null) await _pooler.DisposeAsync();
    }

    Dictionary<string, string> Pooled(Dictionary<string, string> config, PgBouncerProcess? pooler = null)
    {
        config["connection.hostname"] = "127.0.0.1";
        config["connection.port"] = (pooler ?? _pooler).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return config;
    }

    string PooledConnectionString => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = _pooler.Port,
        Username = _destination.User,
        Password = _destination.Password,
        Database = _destination.Database,
        SslMode = SslMode.Disable,
        Pooling = false,
    }.ConnectionString;

    /// <summary>
    /// Inserts, updates (upsert mode: insert mode stops a table at a key it already holds), deletes with tombstones, a
    /// column added at the source, then a truncate and new rows; two tasks, small batches, so many transactions land in
    /// either server session. Before the sink kept nothing across transactions it could not even connect (PgBouncer
    /// refuses the <c>options</c> startup parameter that carried the session settings), and its staging tables, created
    /// once per connection, were missing in the next transaction's server session or already there from the other task
    /// (<see cref="ThePooler_RefusesStartupOptions_AndHandsOneClientsSessionStateToAnother"/> shows both).
    /// </summary>
    [TestCase("upsert")]
    [TestCase("insert")]
    public async Task TwoTasks_ApplyChangesDeletesANewColumnAndATruncate_ThroughTheTransactionPooler(string mode)
    {
        var name = TestEnvironment.UniqueName("pooled_" + mode);
        var table = await SourceTable.CreateAsync(_source, $"CREATE TABLE {name} (id integer PRIMARY KEY, name text, qty integer, at timestamptz)", name);
        using var events = new ChangeEvents(name);
        using var kafka = await KafkaChanges.CreateAsync(name, partitions: 4);
        var config = Pooled(SinkConfigs.For(_destination, name, ("tasks.max", "2"), ("insert.mode", mode), ("batch.size", "40")));
        var group = config["group.id"];

        async Task<List<ChangeMessage>> InsertAsync(int from, int to, string columns = "i, 'item ' || i, i, '2024-01-01 00:00:00+00'::timestamptz + i * interval '1 minute'")
        {
            await table.ExecuteAsync($"INSERT INTO {name} SELECT {columns} FROM generate_series({from}, {to}) i");
            return [.. await Task.WhenAll((await table.RowsAsync($"id BETWEEN {from} AND {to}")).Select(r => events.InsertAsync(table, r)))];
        }
        InProcessSink? sink = null;
        async Task AppliedAsync(string what)
        {
            try
            {
                await _destination.WaitUntilAppliedAsync(group, name, TimeSpan.FromSeconds(90));
            }
            catch (AssertionException e)
            {
                var log = sink!.Logging.Text;
                Assert.Fail($"{what}: {e.Message}; the sink's log ends: {log[Math.Max(0, log.Length - 3000)..]}");
            }
            Assert.That(await _destination.RowTextsAsync(name), Is.EqualTo(await table.RowTextsAsync()), what);
        }

        var first = await InsertAsync(1, 400);
        if (mode == "upsert")
        {
            await table.ExecuteAsync($"UPDATE {name} SET qty = qty * 100, name = name || ' updated' WHERE id % 4 = 0");
            foreach (var row in await table.RowsAsync("id % 4 = 0")) first.Add(await events.UpdateAsync(table, null, row));
        }
        foreach (var row in await table.RowsAsync("id % 10 = 0"))
        {
            first.Add(await events.DeleteAsync(table, table.KeyOnly(row)));
            first.Add(await events.TombstoneAsync(table, table.KeyOnly(row)));
        }
        await table.ExecuteAsync($"DELETE FROM {name} WHERE id % 10 = 0");
        kafka.Produce(first);

        await using var running = sink = InProcessSink.Start(config);
        await AppliedAsync("inserts, updates and deletes");
        Assert.That(await _destination.ScalarAsync($"SELECT count(*) FROM pg_stat_activity WHERE usename = '{_destination.User}'"), Is.InRange(1L, 2L),
            "the server saw only the pooler's two sessions, while two tasks each held a connection to it");

        await table.ExecuteAsync($"ALTER TABLE {name} ADD COLUMN note text");
        await table.RefreshAsync();
        var second = await InsertAsync(401, 500, "i, 'item ' || i, i, now(), 'note ' || i");
        if (mode == "upsert")
        {
            await table.ExecuteAsync($"UPDATE {name} SET note = 'noted' WHERE id % 7 = 0 AND id <= 400");
            foreach (var row in await table.RowsAsync("id % 7 = 0 AND id <= 400")) second.Add(await events.UpdateAsync(table, null, row));
        }
        kafka.Produce(second);
        await AppliedAsync("rows with the new column");
        Assert.That(await _destination.ColumnsAsync(name), Does.Contain("note text"));

        await table.ExecuteAsync($"TRUNCATE {name}");
        var third = await events.TruncateAsync(table, events.NextLsn, partitions: 4);
        third.AddRange(await InsertAsync(501, 560, "i, 'after ' || i, i, now(), NULL"));
        kafka.Produce(third);
        await AppliedAsync("the truncate and the rows after it");
        Assert.That(await _destination.ScalarAsync($"SELECT count(*) FROM {_destination.Schema}.{name}"), Is.EqualTo(60L));
        Assert.That(sink.Exit.IsCompleted, Is.False, sink.Logging.Text);
    }

    /// <summary>
    /// What broke the sink before (a connection string with session settings in its startup <c>options</c>; a staging
    /// table created once per connection and kept with <c>ON COMMIT DELETE ROWS</c>) and what it does now (a staging
    /// table per transaction, <c>ON COMMIT DROP</c>), with the pooler's one free server session shared by two clients.
    /// </summary>
    [Test]
    public async Task ThePooler_RefusesStartupOptions_AndHandsOneClientsSessionStateToAnother()
    {
        await using (var pinned = new NpgsqlConnection(PgSessionSettings.Pin(PooledConnectionString)))
        {
            var refused = Assert.ThrowsAsync<PostgresException>(() => pinned.OpenAsync());
            Assert.That(refused!.MessageText, Does.Contain("unsupported startup parameter: options"));
        }

        // One client in a transaction holds one of the two server sessions: the next two share the other one.
        await using var holder = await OpenPooledAsync();
        await using var held = await holder.BeginTransactionAsync();
        Assert.That(await ScalarAsync(holder, "SELECT 1"), Is.EqualTo(1));
        await using var taskA = await OpenPooledAsync();
        await using var taskB = await OpenPooledAsync();
        Assert.That(await ScalarAsync(taskA, "SELECT pg_backend_pid()"), Is.EqualTo(await ScalarAsync(taskB, "SELECT pg_backend_pid()")));

        await ScalarAsync(taskA, "CREATE TEMPORARY TABLE kafkacdc_stage_1 (d boolean NOT NULL) ON COMMIT DELETE ROWS");
        var clash = Assert.ThrowsAsync<PostgresException>(() => ScalarAsync(taskB, "CREATE TEMPORARY TABLE kafkacdc_stage_1 (d boolean NOT NULL) ON COMMIT DELETE ROWS"));
        Assert.That(clash!.SqlState, Is.EqualTo(PostgresErrorCodes.DuplicateTable), "task B's session-long staging table met task A's");
        await ScalarAsync(taskB, "DROP TABLE pg_temp.kafkacdc_stage_1");

        foreach (var task in new[] { taskA, taskB, taskA })
        {
            await using var transaction = await task.BeginTransactionAsync();
            await ScalarAsync(task, "CREATE TEMPORARY TABLE kafkacdc_stage_1 (d boolean NOT NULL) ON COMMIT DROP");
            await ScalarAsync(task, "INSERT INTO pg_temp.kafkacdc_stage_1 VALUES (true)");
            await transaction.CommitAsync();
        }
        Assert.That(await ScalarAsync(taskA, "SELECT to_regclass('pg_temp.kafkacdc_stage_1') IS NULL"), Is.True, "nothing left in the shared session");
        await held.CommitAsync();
    }

    [Test]
    public async Task Check_ReportsThePoolerInFront_AndFailsWhenItPoolsStatements()
    {
        var topic = TestEnvironment.UniqueName("pooled_check");
        await TestEnvironment.CreateTopicAsync(topic, 1);

        var direct = await CheckAsync(SinkConfigs.For(_destination, topic));
        Assert.That(direct.Passed, Is.True, direct.Output);
        Assert.That(direct.Output, Does.Contain("PASS connection pooler: none"));

        var pooled = await CheckAsync(Pooled(SinkConfigs.For(_destination, topic)));
        Assert.That(pooled.Passed, Is.True, pooled.Output);
        Assert.That(pooled.Output, Does.Contain("PASS connection pooler: a pooler or proxy is in front").And.Contain("no session state across transactions"));

        await using var statementPooler = await PgBouncerProcess.StartAsync(_destination.Host, _destination.Port, [(_destination.User, _destination.Password)], poolMode: "statement");
        var statements = await CheckAsync(Pooled(SinkConfigs.For(_destination, topic), statementPooler));
        Assert.That(statements.Passed, Is.False, statements.Output);
        Assert.That(statements.Output, Does.Contain("FAIL connection pooler: a transaction of two statements failed").And.Contain("pool_mode=transaction"));
        Assert.That(statements.Output, Does.Contain($"PASS USAGE and CREATE on schema \"{_destination.Schema}\""), "single statements pass");
    }

    static async Task<(bool Passed, string Output)> CheckAsync(Dictionary<string, string> config)
    {
        using var output = new StringWriter();
        var passed = await SinkCheck.RunAsync(SinkConfigs.Options(config), output, NullLoggerFactory.Instance, CancellationToken.None);
        return (passed, output.ToString());
    }

    async Task<NpgsqlConnection> OpenPooledAsync()
    {
        var connection = new NpgsqlConnection(PooledConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    static async Task<object?> ScalarAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }
}
