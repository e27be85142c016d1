using KafkaCdc.Shared.Hosting;

namespace KafkaCdc.Tests.SourceConnector;

/// <summary>The built connector as a process: configuration errors, the pooler refusal, and SIGTERM.</summary>
public class ProcessTests
{
    static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);

    [Test]
    public async Task Run_BadConfig_ExitsWithCode2ListingEveryProblem()
    {
        var config = new Dictionary<string, string>
        {
            ["name"] = "bad",
            ["database.port"] = "not-a-port",
            ["heartbeat.interval.ms"] = "-5",
            ["decimal.handling.mode"] = "float",
            ["kafka.bootstrap.servers"] = "localhost:9092",
            ["kafka.enable.idempotence"] = "false",
            ["schema.registry.url"] = "ftp://registry",
            ["tables.include.list"] = "public",
        };

        var (exitCode, output) = await ConnectorProcess.RunSourceAsync(config, null, s_timeout);

        Assert.That(exitCode, Is.EqualTo(ConnectorCommandLine.ConfigErrorExitCode), output);
        Assert.That(output, Does.Contain("invalid configuration (9 problems)"));
        foreach (var key in new[]
                 {
                     "database.hostname:", "database.user:", "database.dbname:", "database.port: 'not-a-port' is not an integer",
                     "heartbeat.interval.ms:", "decimal.handling.mode: decimal.handling.mode 'float' is not one of precise, string, double",
                     "kafka.enable.idempotence: set by the connector itself", "schema.registry.url:",
                     "tables.include.list: unknown key; did you mean 'table.include.list'?",
                 })
            Assert.That(output, Does.Contain(key));
    }

    [Test]
    public async Task Run_PoolerHost_RefusedExplainingWhyPgBouncerCannotReplicate()
    {
        await using var database = await SourceTestDatabase.CreateAsync("pooler");
        var config = database.Config();
        config["database.hostname"] = "ep-quiet-sun-123456-pooler.eu-central-1.aws.neon.tech";

        var (exitCode, output) = await ConnectorProcess.RunSourceAsync(config, null, s_timeout);

        Assert.That(exitCode, Is.EqualTo(ConnectorCommandLine.ConfigErrorExitCode), output);
        Assert.That(output, Does.Contain("PgBouncer").And.Contain("'replication' startup parameter").And.Contain("without '-pooler'"));
    }

    [Test]
    public async Task Run_Sigterm_FlushesConfirmsTheLastAcknowledgedLsnAndExits0()
    {
        await using var database = await SourceTestDatabase.CreateAsync("sigterm", "CREATE TABLE items (id integer PRIMARY KEY, v text)");
        var config = database.Config();
        config["heartbeat.interval.ms"] = "0";
        config["offset.flush.interval.ms"] = "60000"; // only the shutdown's own checkpoint confirms
        await using var connector = ConnectorProcess.StartSource(config);
        await connector.WaitForOutputAsync("Streaming changes", s_timeout);

        await database.ExecuteAsync("INSERT INTO items SELECT g, 'v' || g FROM generate_series(1, 500) g");
        var records = await ChangeTopic.ReadAsync(database.Topic("items"), 500);
        // The transaction's own position, not pg_current_wal_lsn(): other databases of the shared server write WAL too,
        // and with heartbeats off nothing confirms past the last transaction read.
        var lastChange = records.Max(r => (long)r.Source["lsn"]!);
        // 15 s: a stop takes a few; the replication connection's close once took 30 more after "Stopped" (StreamingSession.BoundedClose).
        var exitCode = await connector.TerminateAsync(TimeSpan.FromSeconds(15));

        Assert.That(exitCode, Is.Zero, connector.Output);
        Assert.That(connector.Output, Does.Contain("Stopped: confirmed LSN"));
        var stored = OffsetsTopic.Read(config["offset.storage.topic"], config["name"]);
        var confirmed = await database.ConfirmedFlushLsnAsync();
        Assert.That(stored, Is.Not.Null);
        Assert.That(confirmed, Is.EqualTo((ulong)stored!.LsnValue), "PostgreSQL was told exactly what the offsets topic holds");
        Assert.That(confirmed, Is.GreaterThan(lastChange), "the inserts' transaction (its commit comes after its last change) was confirmed at shutdown");
    }

    /// <summary>
    /// A SIGTERM while the reader handles the first changes after a start (a relation message, whose catalog query the
    /// stop cancels): the source once hung after "Stopped" about every other time here. The cancellation's request to
    /// PostgreSQL waits for the server's answer through a socket engine, and the reader, running on that engine's thread
    /// (socket completions run inline), waited for the cancellation to complete. Npgsql's own read continuation can wait
    /// the same way on the engine (until the cancel connection times out, 30 s), so the stop no longer waits more than a
    /// moment for the replication connection once its position is confirmed: each stop must end within 15 s.
    /// </summary>
    [Test]
    public async Task Sigterm_WhileTheFirstChangesAreRead_ExitsEveryTime()
    {
        await using var database = await SourceTestDatabase.CreateAsync("exit_first", "CREATE TABLE t (id integer PRIMARY KEY, v text); INSERT INTO t SELECT i, 'x' FROM generate_series(1, 1000) i;");
        var config = database.Config();
        for (var round = 0; round < 4; round++)
        {
            await using var source = ConnectorProcess.StartSource(config);
            await source.WaitForOutputAsync("Streaming changes", s_timeout);
            await database.ExecuteAsync($"UPDATE t SET v = 'round {round}' WHERE id <= 200");
            await Task.Delay(300 + 200 * (round % 4)); // no synchronisation: moments of the signal where the hang showed
            Assert.That(await source.TerminateAsync(TimeSpan.FromSeconds(15)), Is.Zero, () => $"round {round}: {source.Output}");
        }
    }
}
