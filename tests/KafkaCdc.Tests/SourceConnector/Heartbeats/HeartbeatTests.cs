namespace KafkaCdc.Tests.SourceConnector.Heartbeats;

/// <summary>
/// Layer 1: heartbeat records flow, and the confirmed LSN of an idle captured database follows the server's WAL
/// while another database writes. Layer 2: the connector writes the heartbeat table, or emits a logical message.
/// </summary>
public class HeartbeatTests
{
    static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);

    [Test]
    public async Task Heartbeat_IdleDatabaseWhileAnotherWrites_ConfirmedLsnAdvancesAndRecordsFlow()
    {
        await using var idle = await SourceTestDatabase.CreateAsync("idle", "CREATE TABLE quiet (id integer PRIMARY KEY)");
        await using var busy = await SourceTestDatabase.CreateAsync("busy", "CREATE TABLE noisy (id integer PRIMARY KEY, v text)");
        var config = idle.Config();
        config["heartbeat.action"] = "none";
        await using var connector = await InProcessConnector.StartStreamingAsync(config);

        await busy.ExecuteAsync("INSERT INTO noisy SELECT g, repeat('x', 200) FROM generate_series(1, 2000) g");
        var busyWal = await busy.CurrentWalLsnAsync();

        await Poll.UntilAsync(async () => await idle.ConfirmedFlushLsnAsync() >= busyWal, s_timeout,
            "the idle database's slot to confirm past the other database's writes");
        var stored = OffsetsTopic.Read(config["offset.storage.topic"], config["name"]);
        Assert.That((ulong)stored!.LsnValue, Is.GreaterThanOrEqualTo(busyWal), "the offsets topic holds the position first");

        var heartbeats = await ChangeTopic.ReadUntilAsync(connector.Options.HeartbeatTopic, r => r.Count >= 3, s_timeout, "3 heartbeat records");
        Assert.That(heartbeats.Select(h => h.Key!["serverName"]).Distinct(), Is.EqualTo(new[] { config["name"] }));
        Assert.That(heartbeats.All(h => h.Value!["ts_ms"] is long && h.Value["lsn"] is long), Is.True);
        Assert.That((long)heartbeats[^1].Value!["lsn"]!, Is.GreaterThanOrEqualTo((long)heartbeats[0].Value!["lsn"]!));
    }

    [Test]
    public async Task Heartbeat_ActionTable_UpdatesTheFirstRowAndIsNotPublished()
    {
        await using var database = await SourceTestDatabase.CreateAsync("hbtable", """
            CREATE SCHEMA kafkacdc;
            CREATE TABLE kafkacdc.kafkacdc_heartbeat (id SERIAL PRIMARY KEY, text TEXT, last_update TIMESTAMP DEFAULT CURRENT_TIMESTAMP);
            INSERT INTO kafkacdc.kafkacdc_heartbeat (text) VALUES ('test_heartbeat'), ('second');
            """);
        var config = database.Config();
        config["heartbeat.action"] = "table";
        await using var connector = await InProcessConnector.StartStreamingAsync(config);

        await Poll.UntilAsync(async () => await database.ScalarAsync<string>("SELECT text FROM kafkacdc.kafkacdc_heartbeat WHERE id = 1") != "test_heartbeat",
            s_timeout, "the connector to update the heartbeat table");
        var afterUpdate = await database.CurrentWalLsnAsync();
        await Poll.UntilAsync(async () => await database.ConfirmedFlushLsnAsync() >= afterUpdate, s_timeout,
            "the heartbeat table's transaction to be consumed and confirmed");

        Assert.That(await database.ScalarAsync<string>("SELECT text FROM kafkacdc.kafkacdc_heartbeat WHERE id = 2"), Is.EqualTo("second"), "only the first row");
        Assert.That(await database.ScalarAsync<long>("SELECT count(*) FROM kafkacdc.kafkacdc_heartbeat"), Is.EqualTo(2));
        var subjects = await ChangeTopic.Registry.GetAllSubjectsAsync();
        Assert.That(subjects, Has.None.Contains(database.Name + "_kafkacdc_heartbeat"), "the heartbeat table's changes are not published");
    }

    [Test]
    public async Task Heartbeat_ActionTableOnEmptyTable_InsertsTheFirstRow()
    {
        await using var database = await SourceTestDatabase.CreateAsync("hbempty", """
            CREATE SCHEMA kafkacdc;
            CREATE TABLE kafkacdc.kafkacdc_heartbeat (id SERIAL PRIMARY KEY, text TEXT, last_update TIMESTAMP DEFAULT CURRENT_TIMESTAMP);
            """);
        var config = database.Config();
        config["heartbeat.action"] = "table";
        await using var connector = await InProcessConnector.StartStreamingAsync(config);

        await Poll.UntilAsync(async () => await database.ScalarAsync<long>("SELECT count(*) FROM kafkacdc.kafkacdc_heartbeat") == 1, s_timeout,
            "the connector to insert the heartbeat row");
        var first = await database.ScalarAsync<DateTime>("SELECT last_update FROM kafkacdc.kafkacdc_heartbeat");
        await Poll.UntilAsync(async () => await database.ScalarAsync<DateTime>("SELECT max(last_update) FROM kafkacdc.kafkacdc_heartbeat") > first,
            s_timeout, "the next heartbeat");

        Assert.That(await database.ScalarAsync<long>("SELECT count(*) FROM kafkacdc.kafkacdc_heartbeat"), Is.EqualTo(1), "later heartbeats update that row");
    }

    [Test]
    public async Task Heartbeat_ActionLogicalMessage_EmitsAMessageIntoTheWal()
    {
        await using var database = await SourceTestDatabase.CreateAsync("hbmessage");
        var peekSlot = database.SlotName + "_peek";
        await database.ExecuteAsync($"SELECT pg_create_logical_replication_slot('{peekSlot}', 'test_decoding')");
        var config = database.Config();
        config["heartbeat.action"] = "logical_message";
        await using var connector = await InProcessConnector.StartStreamingAsync(config);

        await Poll.UntilAsync(async () => await database.ScalarAsync<long>(
                $"SELECT count(*) FROM pg_logical_slot_peek_changes('{peekSlot}', NULL, NULL) WHERE data LIKE '%prefix: kafkacdc_heartbeat%'") >= 2,
            s_timeout, "two heartbeat messages in the WAL");
        var afterMessages = await database.CurrentWalLsnAsync();
        await Poll.UntilAsync(async () => await database.ConfirmedFlushLsnAsync() >= afterMessages, s_timeout, "the connector to confirm past them");
    }
}
