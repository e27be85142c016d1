using KafkaCdc.SourceConnector.Status;

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

    /// <summary>
    /// As the setup script (schemas/sql/source-setup.sql) does: the slot exists before the first start, so the snapshot
    /// is a new one, taken after the slot's position, where streaming starts; and changes were made in between.
    /// </summary>
    const string ExistingSlotTables = """
        CREATE TABLE keyless (n integer, v text);
        ALTER TABLE keyless REPLICA IDENTITY FULL;
        CREATE TABLE keyed (id integer PRIMARY KEY, v text, n integer);
        INSERT INTO keyless SELECT i, 'before the slot' FROM generate_series(1, 1000) i;
        INSERT INTO keyed SELECT i, 'before the slot', i FROM generate_series(1, 1000) i;
        """;

    const string ChangesAfterTheSlot = """
        INSERT INTO keyless SELECT i, 'after the slot' FROM generate_series(1001, 1100) i;
        UPDATE keyless SET v = 'updated after the slot' WHERE n <= 50;
        DELETE FROM keyless WHERE n BETWEEN 51 AND 60;
        INSERT INTO keyed SELECT i, 'after the slot', i FROM generate_series(1001, 1100) i;
        DELETE FROM keyed WHERE id <= 10;
        """;

    static async Task CreateSlotThenChangeAsync(SourceTestDatabase database)
    {
        await database.ExecuteAsync($"CREATE PUBLICATION {database.PublicationName} FOR ALL TABLES");
        await database.ExecuteAsync($"SELECT pg_create_logical_replication_slot('{database.SlotName}', 'pgoutput')");
        await database.ExecuteAsync(ChangesAfterTheSlot);
    }

    [Test]
    public async Task FirstStartOnExistingSlot_ChangesMadeBeforeTheSnapshot_AreInTheTopicOnce()
    {
        await using var database = await SourceTestDatabase.CreateAsync("snap_adopt", ExistingSlotTables);
        await CreateSlotThenChangeAsync(database);
        var config = database.Config();
        config["snapshot.max.threads"] = "1";
        await using var connector = await InProcessConnector.StartStreamingAsync(config);
        await database.ExecuteAsync("INSERT INTO keyless VALUES (5000, 'streamed'); UPDATE keyless SET v = 'streamed' WHERE n = 61");

        // A transient failure during the snapshot would resume it in another fresh snapshot, without the skip: issue 16's
        // remaining gap for resumed snapshots, which this test is not about.
        if (await SnapshotInterruptedAsync(connector)) Assert.Inconclusive($"the snapshot was interrupted and resumed:\n{SnapshotAssert.SnapshotLines(connector.Log)}");
        await SnapshotAssert.KeylessTopicEqualsTableAsync(database, "keyless", "5000|streamed", () => connector.Log);
        await SnapshotAssert.TopicEqualsTableAsync(database, "keyed");
        Assert.That(connector.Log, Does.Contain("on the existing slot"));
        // 160 changes of keyless and 110 of keyed were made between the slot's position and the snapshot.
        await Poll.UntilAsync(() => connector.Log.Contains("270 change(s) the snapshot's rows already held were not written again"), s_timeout,
            () => $"the count of changes skipped in the log:\n{SnapshotAssert.SnapshotLines(connector.Log)}");
    }

    static async Task<bool> SnapshotInterruptedAsync(InProcessConnector connector)
    {
        await Poll.UntilAsync(() => connector.Log.Contains("Snapshot complete"), s_timeout, "the snapshot to complete");
        return connector.Log.Contains("resuming an interrupted snapshot");
    }

    [Test]
    public async Task FirstStartOnExistingSlot_Kill9RightAfterTheSnapshot_RestartStillSkipsWhatTheSnapshotHeld()
    {
        await using var database = await SourceTestDatabase.CreateAsync("snap_adopt_kill", ExistingSlotTables);
        await CreateSlotThenChangeAsync(database);
        var config = database.Config();
        config["snapshot.max.threads"] = "1";
        config["offset.flush.interval.ms"] = "600000"; // nothing stored after the snapshot's own offset: the restart streams from the slot's start again
        await using (var first = ConnectorProcess.StartSource(config))
        {
            await first.WaitForOutputAsync("Streaming changes", s_timeout);
            await first.KillAsync();
        }
        await using var second = ConnectorProcess.StartSource(config);
        await second.WaitForOutputAsync("Streaming changes", s_timeout);
        await database.ExecuteAsync("INSERT INTO keyless VALUES (5000, 'streamed')");

        await SnapshotAssert.KeylessTopicEqualsTableAsync(database, "keyless", "5000|streamed");
        await SnapshotAssert.TopicEqualsTableAsync(database, "keyed");
        await Poll.UntilAsync(() => second.Output.Contains("270 change(s) the snapshot's rows already held were not written again"), s_timeout,
            () => $"the restarted source to skip the same changes:\n{SnapshotAssert.SnapshotLines(second.Output)}");
        Assert.That(await second.TerminateAsync(s_timeout), Is.Zero, second.Output);
    }

    [Test]
    public async Task SlotCreatedBeforeThePublication_StopsNamingTheFix()
    {
        await using var database = await SourceTestDatabase.CreateAsync("slot_first", ExistingSlotTables);
        await database.ExecuteAsync($"SELECT pg_create_logical_replication_slot('{database.SlotName}', 'pgoutput')");
        await database.ExecuteAsync(ChangesAfterTheSlot);
        // The connector creates the publication (publication.autocreate.mode), after the slot's position.
        await using var connector = InProcessConnector.Start(database.Config());

        await connector.WaitForStateAsync(ConnectorState.Failed, s_timeout);
        Assert.That(connector.Status.Error, Does.Contain($"the slot was created before the publication")
            .And.Contain($"SELECT pg_drop_replication_slot('{database.SlotName}')"));
    }
}
