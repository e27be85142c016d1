namespace KafkaCdc.Tests.SourceConnector.Snapshots;

/// <summary>
/// Snapshots across crashes and lost slots, with the connector as a separate process where it is killed: after a
/// restart, or a re-snapshot when the slot was lost, what a consumer builds from the topics equals the source tables,
/// while a workload kept changing them throughout.
/// </summary>
public class SnapshotRecoveryTests
{
    static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(120);
    static readonly string[] s_columns = ["v", "n"];

    [Test]
    public async Task Kill9MidInitialSnapshot_Restart_FinishesTheRestAndTheTopicsEqualTheTables()
    {
        await using var database = await SourceTestDatabase.CreateAsync("snap_kill", """
            CREATE TABLE a (id integer PRIMARY KEY, v text, n integer);
            INSERT INTO a SELECT i, 'a' || i, i FROM generate_series(1, 20000) i;
            CREATE TABLE b (id integer PRIMARY KEY, v text, n integer);
            INSERT INTO b SELECT i, 'b' || i, i FROM generate_series(1, 100000) i;
            ANALYZE;
            """);
        // Table b is snapshotted up to twice and changed throughout: with the broker's default 4 partitions, about 34,000
        // records of ~170 bytes each per partition, beyond the mock cluster's 5 MiB, which silently drops the oldest (on a
        // slow run, the first rows of the second snapshot: they looked lost). 16 partitions keep each under 1.5 MiB.
        foreach (var table in new[] { "a", "b" }) await TestEnvironment.CreateTopicAsync(database.Topic(table), 16);
        var config = database.Config();
        config["snapshot.max.threads"] = "1";
        config["snapshot.fetch.size"] = "2000";
        using var workload = new TableWorkload(database.ConnectionString, ["a", "b"], 20000);

        await using (var first = ConnectorProcess.StartSource(config))
        {
            await first.WaitForOutputAsync("Snapshot of public.a complete", s_timeout);
            await first.KillAsync();
        }
        await using var second = ConnectorProcess.StartSource(config);
        await second.WaitForOutputAsync("Streaming changes", s_timeout);
        Assert.That(second.Output, Does.Contain("resuming an interrupted snapshot"), "the kill came before the snapshot finished");
        Assert.That(second.Output, Does.Not.Contain("Snapshot of public.a complete"), "a finished table is not read again");
        await workload.StopAsync();

        foreach (var table in new[] { "a", "b" }) await SnapshotAssert.TopicEqualsTableAsync(database, table);
        Assert.That(await second.TerminateAsync(s_timeout), Is.Zero, second.Output);
    }

    [Test]
    public async Task WhenNeeded_SlotDroppedAndRecreated_SnapshotsAgainAndNothingIsLost()
    {
        await using var database = await SourceTestDatabase.CreateAsync("snap_needed", """
            CREATE TABLE a (id integer PRIMARY KEY, v text, n integer);
            INSERT INTO a SELECT i, 'a' || i, i FROM generate_series(1, 3000) i;
            """);
        var config = database.Config();
        config["snapshot.mode"] = "when_needed";
        await using (var first = await InProcessConnector.StartStreamingAsync(config))
        {
            await database.ExecuteAsync("UPDATE a SET v = 'streamed' WHERE id <= 10");
            await ChangeTopic.ReadUntilAsync(database.Topic("a"), r => r.Count(x => x.Op == "u") == 10, s_timeout, "the updates");
        }
        // An upgrade drops the slot; changes are made before it is recreated, and more after.
        await database.DropSlotAsync(database.SlotName);
        await database.ExecuteAsync("UPDATE a SET v = 'while no slot' WHERE id BETWEEN 11 AND 20; INSERT INTO a VALUES (5001, 'new', 1)");
        await database.ExecuteAsync($"SELECT pg_create_logical_replication_slot('{database.SlotName}', 'pgoutput')");
        await database.ExecuteAsync("UPDATE a SET v = 'after the new slot' WHERE id BETWEEN 21 AND 30");

        await using var second = await InProcessConnector.StartStreamingAsync(config);
        await database.ExecuteAsync("UPDATE a SET v = 'streamed again' WHERE id = 31");
        Assert.That(second.Log, Does.Contain("snapshot.mode=when_needed"));
        await SnapshotAssert.TopicEqualsTableAsync(database, "a");
    }

    [Test]
    public async Task InitialOnly_ThenNoData_SnapshotThenEveryChangeSince()
    {
        await using var database = await SourceTestDatabase.CreateAsync("snap_only", """
            CREATE TABLE a (id integer PRIMARY KEY, v text, n integer);
            INSERT INTO a SELECT i, 'a' || i, i FROM generate_series(1, 2000) i;
            """);
        var config = database.Config();
        config["snapshot.mode"] = "initial_only";
        await using (var first = InProcessConnector.Start(config))
        {
            Assert.That(await first.Exit.WaitAsync(s_timeout), Is.Zero, first.Log);
            Assert.That(first.Log, Does.Contain("snapshot.mode=initial_only"));
        }
        Assert.That(await database.ConfirmedFlushLsnAsync(), Is.Not.Null, "the slot stays for a later start to stream from");
        await database.ExecuteAsync("UPDATE a SET v = 'after' WHERE id <= 5; DELETE FROM a WHERE id = 6; INSERT INTO a VALUES (9000, 'x', 0)");

        config["snapshot.mode"] = "no_data";
        await using var second = await InProcessConnector.StartStreamingAsync(config);
        var records = await SnapshotAssert.TopicEqualsTableAsync(database, "a");
        Assert.That(records.Count(r => r.Op == "r"), Is.EqualTo(2000), "one snapshot");
    }

    [Test]
    public async Task NoData_ExistingRows_OnlyChangesAreWritten()
    {
        await using var database = await SourceTestDatabase.CreateAsync("snap_none", """
            CREATE TABLE a (id integer PRIMARY KEY, v text, n integer);
            INSERT INTO a SELECT i, 'a' || i, i FROM generate_series(1, 100) i;
            """);
        var config = database.Config();
        config["snapshot.mode"] = "no_data";
        await using var connector = await InProcessConnector.StartStreamingAsync(config);
        await database.ExecuteAsync("UPDATE a SET v = 'changed' WHERE id = 1");

        var records = await ChangeTopic.ReadAsync(database.Topic("a"), 1, s_timeout);
        Assert.That(records.Select(r => r.Op), Is.EqualTo(new[] { "u" }));
        Assert.That(connector.Status.Snapshots.State, Is.EqualTo("none"));
    }
}
