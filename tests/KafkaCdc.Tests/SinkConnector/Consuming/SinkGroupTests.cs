using KafkaCdc.DevStack;
using KafkaCdc.Tests.SinkConnector.Support;

namespace KafkaCdc.Tests.SinkConnector.Consuming;

/// <summary>Sink processes in one consumer group: crashes and takeovers lose nothing and apply nothing twice.</summary>
public class SinkGroupTests
{
    string _source = "";
    SinkDestination _destination = null!;

    [OneTimeSetUp]
    public async Task CreateDatabasesAsync()
    {
        _source = await SourceTable.CreateDatabaseAsync("group_src");
        _destination = await SinkDestination.CreateAsync("group_dst");
    }

    static long Total(Dictionary<(string, int), long> offsets) => offsets.Values.Sum();

    [Test]
    public async Task KilledMidBatch_RestartedProcess_LeavesTheTableCorrect_InsertModeWithoutDuplicates()
    {
        var name = TestEnvironment.UniqueName("killed");
        var table = await SourceTable.CreateAsync(_source, $"CREATE TABLE {name} (id integer PRIMARY KEY, payload text, at timestamptz)", name);
        await table.ExecuteAsync($"INSERT INTO {name} SELECT i, repeat(md5(i::text), 4), now() FROM generate_series(1, 30000) i");
        using var events = new ChangeEvents(name);
        using var kafka = await KafkaChanges.CreateAsync(name, partitions: 4);
        kafka.Produce(await events.InsertsOfEveryRowAsync(table));
        var config = SinkConfigs.For(_destination, name, ("insert.mode", "insert"), ("batch.size", "500"));
        var group = config["group.id"];

        await using (var doomed = ConnectorProcess.StartSink(config))
        {
            await Poll.UntilAsync(async () => Total(await _destination.RecordedOffsetsAsync(group)) > 0, TimeSpan.FromSeconds(60), "a first batch");
            await doomed.KillAsync();
        }
        var atKill = Total(await _destination.RecordedOffsetsAsync(group));
        Assert.That(atKill, Is.LessThan(30000), "killed before the end");

        await using var restarted = ConnectorProcess.StartSink(config);
        await _destination.WaitUntilAppliedAsync(group, name);

        Assert.That(await _destination.ScalarAsync($"SELECT count(*) FROM {_destination.Schema}.{name}"), Is.EqualTo(30000L));
        Assert.That(await _destination.RowTextsAsync(name), Is.EqualTo(await table.RowTextsAsync()));
        Assert.That(restarted.Output, Does.Not.Contain("fail").And.Not.Contain("stopped table"), "a duplicate key would have stopped the table");
    }

    [Test]
    public async Task TwoProcessesInOneGroup_OneKilled_TheSurvivorTakesItsPartitions_NothingLost()
    {
        var name = TestEnvironment.UniqueName("shared");
        using var events = new ChangeEvents(name);
        var (table, firstHalf) = await StreamHistory.CreateAsync(_source, name, events, rows: 2000);
        using var kafka = await KafkaChanges.CreateAsync(name, partitions: 4);
        var config = SinkConfigs.For(_destination, name, ("batch.size", "200"));
        await using var survivor = ConnectorProcess.StartSink(new Dictionary<string, string>(config) { ["rest.port"] = LocalPorts.Free().ToString() });
        await using var victim = ConnectorProcess.StartSink(new Dictionary<string, string>(config) { ["rest.port"] = LocalPorts.Free().ToString() });
        await Poll.UntilAsync(async () =>
        {
            var (a, b) = (await survivor.AssignedPartitionsAsync(), await victim.AssignedPartitionsAsync());
            return a.Count > 0 && b.Count > 0 && a.Count + b.Count == 4;
        }, TimeSpan.FromSeconds(60), "both processes to share the 4 partitions");

        kafka.Produce(firstHalf);
        await _destination.WaitUntilAppliedAsync(config["group.id"], name);
        await victim.KillAsync();
        var (_, secondHalf) = await StreamHistory.CreateAsync(_source, name, events, rows: 2000, firstId: 5001);
        kafka.Produce(secondHalf);

        await _destination.WaitUntilAppliedAsync(config["group.id"], name, TimeSpan.FromSeconds(90));
        Assert.That(await survivor.AssignedPartitionsAsync(), Is.EqualTo(new[] { 0, 1, 2, 3 }));
        Assert.That(await _destination.RowTextsAsync(name), Is.EqualTo(await table.RowTextsAsync()));
    }
}
