using KafkaCdc.SourceConnector.Status;

namespace KafkaCdc.Tests.SourceConnector.Replication;

/// <summary>
/// The database-upgrade case: the offsets show progress, but the slot is gone or was recreated past that point.
/// The connector must refuse to continue silently, say what happened and what to do; reset-offsets accepts the gap.
/// </summary>
public class SlotSafetyTests
{
    static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);

    [Test]
    public async Task Start_SlotDroppedAfterProgress_RefusesUntilOffsetsAreReset()
    {
        await using var database = await SourceTestDatabase.CreateAsync("dropped", "CREATE TABLE t (id integer PRIMARY KEY)");
        var config = database.Config();
        await StreamOneRowAsync(database, config, 1);
        await database.DropSlotAsync(database.SlotName);

        await using (var refused = InProcessConnector.Start(config))
        {
            Assert.That(await refused.Exit.WaitAsync(s_timeout), Is.EqualTo(1), refused.Log);
            Assert.That(refused.Status.State, Is.EqualTo(ConnectorState.Failed));
            Assert.That(refused.Status.Error, Does.Contain($"slot '{database.SlotName}', but that slot no longer exists")
                .And.Contain("upgrade").And.Contain("reset-offsets"));
        }
        Assert.That(await database.ConfirmedFlushLsnAsync(), Is.Null, "the refusing connector did not create a new slot");

        var (exitCode, output) = await ConnectorProcess.RunSourceAsync(config, "reset-offsets", s_timeout);
        Assert.That(exitCode, Is.Zero, output);
        Assert.That(output, Does.Contain("Reset the offset"));
        Assert.That(OffsetsTopic.Read(config["offset.storage.topic"], config["name"]), Is.Null);

        await StreamOneRowAsync(database, config, 2);
    }

    [Test]
    public async Task Start_SlotRecreatedAfterProgress_Refuses()
    {
        await using var database = await SourceTestDatabase.CreateAsync("recreated", "CREATE TABLE t (id integer PRIMARY KEY)");
        var config = database.Config();
        await StreamOneRowAsync(database, config, 1);
        await database.DropSlotAsync(database.SlotName);
        await database.ExecuteAsync("INSERT INTO t VALUES (2)"); // a change the new slot will never see
        await database.ExecuteAsync($"SELECT pg_create_logical_replication_slot('{database.SlotName}', 'pgoutput')");

        await using var refused = InProcessConnector.Start(config);

        Assert.That(await refused.Exit.WaitAsync(s_timeout), Is.EqualTo(1), refused.Log);
        Assert.That(refused.Status.Error, Does.Contain("ahead of the offset").And.Contain("recreated").And.Contain("reset-offsets"));
    }

    /// <summary>Starts the connector, streams one inserted row into Kafka, and stops it gracefully.</summary>
    static async Task StreamOneRowAsync(SourceTestDatabase database, Dictionary<string, string> config, int id)
    {
        await using var connector = await InProcessConnector.StartStreamingAsync(config);
        await database.ExecuteAsync($"INSERT INTO t VALUES ({id})");
        await ChangeTopic.ReadUntilAsync(database.Topic("t"), r => r.Any(x => (int)x.Key!["id"]! == id), s_timeout, $"row {id}");
        Assert.That(await connector.StopAsync(), Is.Zero, connector.Log);
    }
}
