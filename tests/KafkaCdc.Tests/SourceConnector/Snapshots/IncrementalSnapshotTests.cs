using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using KafkaCdc.SourceConnector.Snapshots;
using Npgsql;

namespace KafkaCdc.Tests.SourceConnector.Snapshots;

/// <summary>
/// Incremental snapshots while streaming, on a real PostgreSQL: requested by a signal row, <c>POST /signals</c> or the
/// <c>signal</c> command, chunked by key, de-duplicated against the concurrent stream (no lost row, no stale version
/// after a newer one), resumed after a crash, paused, resumed and stopped, filtered, read-only, for newly captured
/// tables and as the initial snapshot; bad signals are reported and leave the stream alone.
/// </summary>
public class IncrementalSnapshotTests
{
    static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(120);

    const string SignalTable = """
        CREATE SCHEMA kafkacdc;
        CREATE TABLE kafkacdc.kafkacdc_signal (id varchar(255) PRIMARY KEY, type varchar(32) NOT NULL, data varchar(2000));
        """;

    [Test]
    public async Task SignalRow_200kRowsUnderConcurrentUpdatesDeletesInserts_TopicEqualsTableAndNoStaleVersionFollowsANewerOne()
    {
        await using var database = await SourceTestDatabase.CreateAsync("inc_big", SignalTable + """
            CREATE TABLE big (id integer PRIMARY KEY, v text, n integer NOT NULL);
            INSERT INTO big SELECT i, 'b' || i, 0 FROM generate_series(1, 200000) i;
            """);
        await WidePartitionsAsync(database, "big");
        var config = database.Config();
        config["snapshot.mode"] = "no_data";
        await using var connector = await InProcessConnector.StartStreamingAsync(config);
        using var workload = new TableWorkload(database.ConnectionString, ["big"], 200000);

        await database.ExecuteAsync("""INSERT INTO kafkacdc.kafkacdc_signal VALUES ('big-1', 'execute-snapshot', '{"data-collections": ["public.big"], "type": "incremental"}')""");
        await WaitForSnapshotStateAsync(connector, "done", "the incremental snapshot to finish");
        await workload.StopAsync();

        var records = await SnapshotAssert.TopicEqualsTableAsync(database, "big", connector.Log);
        var reads = records.Where(r => r.Op == "r").ToList();
        Assert.That(reads.All(r => (string)r.Source["snapshot"]! == "incremental"));
        Assert.That(reads.Select(r => (int)r.After!["id"]!).Distinct().Count(), Is.EqualTo(reads.Count), "each row read at most once");
        Assert.That(reads.Count, Is.GreaterThan(150000), "rows changed while their chunk was open come from the stream instead");
        Assert.That(workload.Changes, Is.GreaterThan(100), "the workload ran during the snapshot");
        AssertNoStaleVersionAfterNewer(records);
        Assert.That(connector.Log, Does.Contain("Incremental snapshot big-1 complete"));
    }

    [Test]
    public async Task ReadOnly_SignalCommand_SnapshotsWithAUserOfSelectAndReplicationOnly()
    {
        await using var database = await SourceTestDatabase.CreateAsync("inc_ro", """
            CREATE TABLE items (id integer PRIMARY KEY, v text, n integer NOT NULL);
            INSERT INTO items SELECT i, 'i' || i, 0 FROM generate_series(1, 30000) i;
            """);
        await database.ExecuteAsync($"CREATE PUBLICATION \"{database.PublicationName}\" FOR TABLE items");
        await using var role = await TestRole.CreateAsync(database, "ro", "REPLICATION");
        await database.ExecuteAsync($"GRANT SELECT ON items TO \"{role.Name}\"");
        var config = role.Apply(database.Config());
        config["read.only"] = "true";
        config["snapshot.mode"] = "no_data";
        config["publication.autocreate.mode"] = "disabled";
        config["incremental.snapshot.chunk.size"] = "4000";
        config["rest.port"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
        await using var connector = await InProcessConnector.StartStreamingAsync(config);
        using var workload = new TableWorkload(database.ConnectionString, ["items"], 30000);

        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await SignalCommand.RunAsync(connector.Options, ["execute-snapshot", "public.items"], output, error, CancellationToken.None);
        Assert.That(exit, Is.Zero, error.ToString());
        Assert.That(output.ToString(), Does.StartWith("202"));
        await WaitForSnapshotStateAsync(connector, "done", "the read-only incremental snapshot to finish");
        await workload.StopAsync();

        var records = await SnapshotAssert.TopicEqualsTableAsync(database, "items", connector.Log);
        AssertNoStaleVersionAfterNewer(records);
        Assert.That(records.Count(r => r.Op == "r"), Is.GreaterThan(20000));
    }

    [Test]
    public async Task Kill9MidIncrementalSnapshot_Restart_ResumesAtTheNextChunkAndCompletes()
    {
        await using var database = await SourceTestDatabase.CreateAsync("inc_kill", SignalTable + """
            CREATE TABLE t (id integer PRIMARY KEY, v text, n integer NOT NULL);
            INSERT INTO t SELECT i, 't' || i, 0 FROM generate_series(1, 60000) i;
            """);
        var config = database.Config();
        config["snapshot.mode"] = "no_data";
        config["incremental.snapshot.chunk.size"] = "2000";
        config["log.level"] = "debug";
        await WidePartitionsAsync(database, "t");
        using var workload = new TableWorkload(database.ConnectionString, ["t"], 60000);
        var firstOutput = "";
        await using (var first = ConnectorProcess.StartSource(config))
        {
            await first.WaitForOutputAsync("Streaming changes", s_timeout);
            // Two transactions: the first chunk is read when the first commits, the pause applies at the second, so the
            // kill comes mid-snapshot however fast the machine is.
            await Signal(database, "t-1", "execute-snapshot", """{"data-collections": ["public.t"]}""");
            await Signal(database, "t-2", "pause-snapshot", null);
            await first.WaitForOutputAsync("Signal t-2 (signal table): PauseSnapshot", s_timeout);
            // Not all 2,000 rows: a row the workload changes or deletes while the chunk's window is open is dropped from
            // the chunk (the stream's newer event stands for it), so the chunk can come out a little short (1,999 seen).
            await ChangeTopic.ReadUntilAsync(database.Topic("t"), r => r.Count(x => x.Op == "r") >= 1500, s_timeout, "the first chunk");
            // An offset stored after the first chunk's rows were acknowledged carries the paused progress.
            var stored = Regex.Count(first.Output, "Stored offset");
            await Poll.UntilAsync(() => Regex.Count(first.Output, "Stored offset") > stored + 1, s_timeout, "two more offsets stored");
            await first.KillAsync();
            firstOutput = first.Output;
        }
        await using var second = ConnectorProcess.StartSource(config);
        await second.WaitForOutputAsync("Streaming changes", s_timeout);
        Assert.That(second.Output, Does.Contain("Resuming incremental snapshot t-1").And.Contain("(paused)"), SnapshotAssert.SnapshotLines(firstOutput));
        await Signal(database, "t-3", "resume-snapshot", null);
        try
        {
            await second.WaitForOutputAsync("Incremental snapshot t-1 complete", s_timeout);
        }
        catch (AssertionException e)
        {
            Assert.Fail($"{e.Message}\nfirst run:\n{SnapshotAssert.SnapshotLines(firstOutput)}\nsecond run:\n{SnapshotAssert.SnapshotLines(second.Output)}");
        }
        await workload.StopAsync();

        var records = await SnapshotAssert.TopicEqualsTableAsync(database, "t", second.Output);
        Assert.That(records.Count(r => r.Op == "r"), Is.LessThan(64000), "resumed after the first chunk, not started again");
        Assert.That(await second.TerminateAsync(s_timeout), Is.Zero, second.Output);
    }

    [Test]
    public async Task PauseResumeAndStopSignals_HoldContinueAndEndTheSnapshot_WhileChangesKeepStreaming()
    {
        await using var database = await SourceTestDatabase.CreateAsync("inc_pause", SignalTable + """
            CREATE TABLE t (id integer PRIMARY KEY, v text, n integer NOT NULL);
            INSERT INTO t SELECT i, 't' || i, 0 FROM generate_series(1, 40000) i;
            """);
        var config = database.Config();
        config["snapshot.mode"] = "no_data";
        config["incremental.snapshot.chunk.size"] = "500";
        await using var connector = await InProcessConnector.StartStreamingAsync(config);
        var topic = database.Topic("t");

        await Signal(database, "p-1", "execute-snapshot", """{"data-collections": ["public.t"]}""");
        await ChangeTopic.ReadUntilAsync(topic, r => r.Count(x => x.Op == "r") >= 2000, s_timeout, "some of the snapshot");
        await Signal(database, "p-2", "pause-snapshot", null);
        await WaitForSnapshotStateAsync(connector, "paused", "the pause");
        // A change streamed after the pause took effect: any chunk open at the pause has closed before it.
        await database.ExecuteAsync("UPDATE t SET n = n + 1 WHERE id = 39999");
        var paused = await ChangeTopic.ReadUntilAsync(topic, r => r.Any(x => x.Op == "u"), s_timeout, "a change while paused");
        var readsWhenPaused = paused.Count(x => x.Op == "r");
        await database.ExecuteAsync("UPDATE t SET n = n + 1 WHERE id = 39998");
        var stillPaused = await ChangeTopic.ReadUntilAsync(topic, r => r.Count(x => x.Op == "u") == 2, s_timeout, "a second change while paused");
        Assert.That(stillPaused.Count(x => x.Op == "r"), Is.EqualTo(readsWhenPaused), "no chunk is read while paused");
        Assert.That(readsWhenPaused, Is.LessThan(40000));

        await Signal(database, "p-3", "resume-snapshot", null);
        await WaitForSnapshotStateAsync(connector, "done", "the resumed snapshot to finish");
        await SnapshotAssert.TopicEqualsTableAsync(database, "t", connector.Log);

        await Signal(database, "p-4", "execute-snapshot", """{"data-collections": ["public.t"]}""");
        await Signal(database, "p-5", "stop-snapshot", """{"data-collections": ["public.t"]}""");
        await WaitForSnapshotStateAsync(connector, "stopped", "the stop");
        await database.ExecuteAsync("UPDATE t SET n = n + 1 WHERE id = 1");
        var after = await ChangeTopic.ReadUntilAsync(topic, r => r.Count(x => x.Op == "u") == 3, s_timeout, "a change after the stop");
        Assert.That(after.Count(x => x.Op == "r"), Is.LessThan(80000), "the second snapshot was stopped before its end");
        Assert.That(connector.Log, Does.Contain("stopped public.t"));
    }

    [Test]
    public async Task AdditionalConditions_SnapshotsOnlyTheMatchingRows_OfAKeylessTableBySnapshotKeyColumns()
    {
        await using var database = await SourceTestDatabase.CreateAsync("inc_filter", SignalTable + """
            CREATE TABLE orders (order_no integer NOT NULL, region text NOT NULL, v text, n integer NOT NULL);
            ALTER TABLE orders REPLICA IDENTITY FULL;
            INSERT INTO orders SELECT i, CASE WHEN i % 4 = 0 THEN 'eu' ELSE 'us' END, 'o' || i, 0 FROM generate_series(1, 8000) i;
            """);
        var config = database.Config();
        config["snapshot.mode"] = "no_data";
        config["incremental.snapshot.chunk.size"] = "700";
        config["snapshot.key.columns"] = "public.orders:order_no";
        await using var connector = await InProcessConnector.StartStreamingAsync(config);

        await Signal(database, "f-1", "execute-snapshot",
            """{"data-collections": ["public.orders"], "additional-conditions": [{"data-collection": "public.orders", "filter": "region = 'eu'"}]}""");
        await WaitForSnapshotStateAsync(connector, "done", "the filtered snapshot to finish");
        Assert.That(connector.Status.SignalProblems, Is.Empty, connector.Log);

        var records = await ChangeTopic.ReadUntilAsync(database.Topic("orders"), r => r.Count(x => x.Op == "r") >= 2000, s_timeout, "the eu rows");
        var reads = records.Where(r => r.Op == "r").ToList();
        Assert.That(reads.Select(r => (string)r.After!["region"]!).Distinct(), Is.EqualTo(new[] { "eu" }));
        Assert.That(reads.Select(r => (int)r.After!["order_no"]!).Order(), Is.EqualTo(Enumerable.Range(1, 2000).Select(i => i * 4)));
    }

    [Test]
    public async Task NewlyCapturedTable_AfterARestart_IsBackfilledWhileTheOtherStreams()
    {
        await using var database = await SourceTestDatabase.CreateAsync("inc_new", SignalTable + """
            CREATE TABLE a (id integer PRIMARY KEY, v text, n integer NOT NULL);
            CREATE TABLE b (id integer PRIMARY KEY, v text, n integer NOT NULL);
            INSERT INTO a SELECT i, 'a' || i, 0 FROM generate_series(1, 500) i;
            INSERT INTO b SELECT i, 'b' || i, 0 FROM generate_series(1, 7000) i;
            """);
        var config = database.Config();
        config["table.include.list"] = "public.a";
        await using (var first = await InProcessConnector.StartStreamingAsync(config))
        {
            await ChangeTopic.ReadAsync(database.Topic("a"), 500, s_timeout);
            await database.ExecuteAsync("UPDATE b SET v = 'not captured yet' WHERE id <= 10");
        }
        config["table.include.list"] = "public.a,public.b";
        await using var second = await InProcessConnector.StartStreamingAsync(config);
        await database.ExecuteAsync("UPDATE b SET v = 'captured' WHERE id BETWEEN 5 AND 15; INSERT INTO b VALUES (7001, 'new', 0)");
        await WaitForSnapshotStateAsync(second, "done", "the backfill of b");

        await SnapshotAssert.TopicEqualsTableAsync(database, "b", second.Log);
        Assert.That(second.Log, Does.Contain("Newly captured table(s) public.b"));
        var a = await ChangeTopic.ReadToEndUntilAsync(database.Topic("a"), _ => null, s_timeout, "every record of a");
        Assert.That(a.Count(r => r.Op == "r"), Is.EqualTo(500), "a is not snapshotted again");
    }

    [Test]
    public async Task InitialMethodIncremental_FirstStart_SnapshotsEveryTableWhileTheSlotAdvances()
    {
        await using var database = await SourceTestDatabase.CreateAsync("inc_initial", SignalTable + """
            CREATE TABLE a (id integer PRIMARY KEY, v text, n integer NOT NULL);
            INSERT INTO a SELECT i, 'a' || i, 0 FROM generate_series(1, 25000) i;
            CREATE TABLE b (id bigint PRIMARY KEY, v text, n integer NOT NULL);
            INSERT INTO b SELECT i, 'b' || i, 0 FROM generate_series(1, 3000) i;
            """);
        var config = database.Config();
        config["snapshot.initial.method"] = "incremental";
        await WidePartitionsAsync(database, "a");
        config["incremental.snapshot.chunk.size"] = "1000";
        await using var connector = await InProcessConnector.StartStreamingAsync(config);
        var slotAtStart = await database.ConfirmedFlushLsnAsync();
        using var workload = new TableWorkload(database.ConnectionString, ["a"], 25000);
        await WaitForSnapshotStateAsync(connector, "done", "the initial snapshot taken incrementally");
        await Poll.UntilAsync(async () => await database.ConfirmedFlushLsnAsync() > slotAtStart, s_timeout, "the slot to advance");
        await workload.StopAsync();

        var a = await SnapshotAssert.TopicEqualsTableAsync(database, "a", connector.Log);
        await SnapshotAssert.TopicEqualsTableAsync(database, "b", connector.Log);
        AssertNoStaleVersionAfterNewer(a);
        Assert.That(connector.Log, Does.Contain("snapshot.initial.method=incremental"));
    }

    [Test]
    public async Task BadSignals_AreLoggedWithTheirIdAndShownInStatus_AndTheStreamGoesOn()
    {
        await using var database = await SourceTestDatabase.CreateAsync("inc_bad", SignalTable + """
            CREATE TABLE t (id integer PRIMARY KEY, v text, n integer NOT NULL);
            INSERT INTO t VALUES (1, 'one', 0);
            """);
        var config = database.Config();
        config["snapshot.mode"] = "no_data";
        config["rest.port"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
        await using var connector = await InProcessConnector.StartStreamingAsync(config);

        await Signal(database, "bad-json", "execute-snapshot", "{not json");
        await Signal(database, "bad-type", "explode", null);
        await Signal(database, "bad-table", "execute-snapshot", """{"data-collections": ["public.nope"]}""");
        await Signal(database, "bad-filter", "execute-snapshot",
            """{"data-collections": ["public.t"], "additional-conditions": [{"data-collection": "public.t", "filter": "no_such_column = 1"}]}""");
        await database.ExecuteAsync("UPDATE t SET v = 'after the bad signals' WHERE id = 1");

        await ChangeTopic.ReadUntilAsync(database.Topic("t"), r => r.Any(x => x.Op == "u"), s_timeout, "the change after the bad signals");
        await Poll.UntilAsync(() => connector.Status.SignalProblems.Count >= 4, s_timeout, "the four problems in the status");
        var problems = string.Join("\n", connector.Status.SignalProblems);
        Assert.That(problems, Does.Contain("'bad-json'").And.Contain("not JSON"));
        Assert.That(problems, Does.Contain("'bad-type'").And.Contain("unknown type 'explode'"));
        Assert.That(problems, Does.Contain("'bad-table'").And.Contain("public.nope does not exist or is not published"));
        Assert.That(problems, Does.Contain("'bad-filter'").And.Contain("no_such_column"));
        Assert.That(connector.Status.State, Is.EqualTo(KafkaCdc.SourceConnector.Status.ConnectorState.Streaming));

        using var http = new HttpClient();
        var rest = $"http://127.0.0.1:{connector.Options.RestPort}/signals";
        using var bad = await http.PostAsync(rest, new StringContent("""{"id": "r-1", "type": "execute-snapshot", "data": {}}"""));
        Assert.That(bad.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await bad.Content.ReadAsStringAsync(), Does.Contain("execute-snapshot needs data-collections"));
        var status = await http.GetStringAsync($"http://127.0.0.1:{connector.Options.RestPort}/status");
        Assert.That(status, Does.Contain("bad-filter"));
    }

    /// <summary>Waits for the snapshot state; on timeout fails with the snapshot lines of the connector's log.</summary>
    static async Task WaitForSnapshotStateAsync(InProcessConnector connector, string state, string what)
    {
        try
        {
            await Poll.UntilAsync(() => connector.Status.Snapshots.State == state, s_timeout, what);
        }
        catch (AssertionException)
        {
            Assert.Fail($"timed out waiting for {what} (snapshot state {connector.Status.Snapshots.State}); log:\n{SnapshotAssert.SnapshotLines(connector.Log)}");
        }
    }

    static async Task Signal(SourceTestDatabase database, string id, string type, string? data)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("INSERT INTO kafkacdc.kafkacdc_signal (id, type, data) VALUES ($1, $2, $3)", connection)
        {
            Parameters = { new() { Value = id }, new() { Value = type }, new() { Value = (object?)data ?? DBNull.Value } },
        };
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// Per key, the column <c>n</c> (which the workload only ever increments) never goes down along the topic: a
    /// snapshot row never brings back an older version after the stream carried a newer one.
    /// </summary>
    static void AssertNoStaleVersionAfterNewer(IReadOnlyList<ChangeRecord> records)
    {
        var stale = new List<string>();
        foreach (var partition in records.GroupBy(r => r.Partition))
        {
            var last = new Dictionary<string, (int N, string Op, long Offset)>();
            foreach (var record in partition.OrderBy(r => r.Offset))
            {
                if (record.After is not { } after) continue;
                var key = Convert.ToString(after["id"], System.Globalization.CultureInfo.InvariantCulture)!;
                var n = (int)after["n"]!;
                if (last.TryGetValue(key, out var before) && n < before.N)
                    stale.Add($"id {key}: {record.Op} n={n} at offset {record.Offset} after {before.Op} n={before.N} at offset {before.Offset}");
                last[key] = (n, record.Op!, record.Offset);
            }
        }
        Assert.That(stale, Is.Empty, "an older version followed a newer one");
    }

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Spreads a table's topic over 16 partitions, so the dev broker keeps every record of a test (about 5 MiB per partition).</summary>
    static Task WidePartitionsAsync(SourceTestDatabase database, string table) => TestEnvironment.CreateTopicAsync(database.Topic(table), 16);
}
