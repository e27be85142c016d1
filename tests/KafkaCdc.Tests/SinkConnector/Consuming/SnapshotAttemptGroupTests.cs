using KafkaCdc.Tests.SinkConnector.Support;

namespace KafkaCdc.Tests.SinkConnector.Consuming;

/// <summary>
/// A resumed initial snapshot through Kafka and the sink's consumer group: one or two tasks, upsert and insert mode, and
/// a sink process killed between the two attempts, leave the keyless table as the source has it.
/// </summary>
public class SnapshotAttemptGroupTests
{
    string _source = "";
    SinkDestination _destination = null!;

    [OneTimeSetUp]
    public async Task CreateDatabasesAsync()
    {
        _source = await SourceTable.CreateDatabaseAsync("attempt_group_src");
        _destination = await SinkDestination.CreateAsync("attempt_group_dst");
    }

    [TestCase("upsert", 1)]
    [TestCase("insert", 1)]
    [TestCase("upsert", 2)]
    [TestCase("insert", 2)]
    public async Task Attempt2AfterAttempt1_KeylessTableInTwoPartitions_TheDestinationHoldsTheSourceRows(string mode, int tasks)
    {
        var name = TestEnvironment.UniqueName($"attempts_{mode}_{tasks}");
        using var events = new ChangeEvents(name);
        var scenario = await SnapshotAttemptScenario.CreateAsync(_source, name, events);
        using var kafka = await KafkaChanges.CreateAsync(name, partitions: 2);
        var config = SinkConfigs.For(_destination, name, ("insert.mode", mode), ("tasks.max", tasks.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("batch.size", "2"));
        await using var sink = InProcessSink.Start(config);

        kafka.Produce(scenario.Attempt1);
        await _destination.WaitUntilAppliedAsync(config["group.id"], name);
        Assert.That(await _destination.RowTextsAsync(name), Has.Count.EqualTo(5), "attempt 1's rows");
        kafka.Produce(scenario.AfterAttempt1);
        await _destination.WaitUntilAppliedAsync(config["group.id"], name);

        Assert.That(await _destination.RowTextsAsync(name), Is.EqualTo(await scenario.Table.RowTextsAsync()), sink.Logging.Text);
        Assert.That(sink.Metrics.Rows(name, "snapshot_reset"), Is.EqualTo(1), "one task emptied the table, once");
        Assert.That(sink.Metrics.Skipped("held_by_snapshot"), Is.EqualTo(scenario.Held.Count));
    }

    [Test]
    public async Task ASinkKilledBetweenTheAttempts_TheRestartedOneKeepsItRight()
    {
        var name = TestEnvironment.UniqueName("attempts_killed");
        using var events = new ChangeEvents(name);
        var scenario = await SnapshotAttemptScenario.CreateAsync(_source, name, events);
        using var kafka = await KafkaChanges.CreateAsync(name, partitions: 2);
        var config = SinkConfigs.For(_destination, name, ("insert.mode", "insert"), ("batch.size", "2"));

        await using (var doomed = ConnectorProcess.StartSink(config))
        {
            kafka.Produce(scenario.Attempt1);
            await _destination.WaitUntilAppliedAsync(config["group.id"], name);
            await doomed.KillAsync();
        }
        kafka.Produce(scenario.AfterAttempt1);
        await using var restarted = ConnectorProcess.StartSink(config);
        await _destination.WaitUntilAppliedAsync(config["group.id"], name);

        Assert.That(await _destination.RowTextsAsync(name), Is.EqualTo(await scenario.Table.RowTextsAsync()), restarted.Output);
    }
}
