using KafkaCdc.Tests.SinkConnector.Support;

namespace KafkaCdc.Tests.SinkConnector.Applying;

/// <summary>Insert mode: append only, COPY straight into the table.</summary>
public class InsertModeTests
{
    string _source = "";
    SinkDestination _destination = null!;

    [OneTimeSetUp]
    public async Task CreateDatabasesAsync()
    {
        _source = await SourceTable.CreateDatabaseAsync("insert_src");
        _destination = await SinkDestination.CreateAsync("insert_dst");
    }

    [Test]
    public async Task Inserts_AreCopiedInOrder_AndDeletesRunBetweenThem()
    {
        var name = TestEnvironment.UniqueName("events");
        var table = await SourceTable.CreateAsync(_source, $"CREATE TABLE {name} (id bigint PRIMARY KEY, payload text, at timestamptz)", name);
        await table.ExecuteAsync($"INSERT INTO {name} SELECT i, 'tab\there, new\nline, back\\slash ' || i, '2024-01-01'::timestamptz + i * interval '1 hour' FROM generate_series(1, 500) i");
        using var events = new ChangeEvents(name);
        var rows = await table.RowsAsync();
        var messages = new List<ChangeMessage>();
        foreach (var row in rows) messages.Add(await events.InsertAsync(table, row));
        // Delete row 3, then insert it again within the same batch: the order matters.
        messages.Add(await events.DeleteAsync(table, table.KeyOnly(rows[2])));
        messages.Add(await events.InsertAsync(table, rows[2]));
        await using var pipeline = await ApplyPipeline.CreateAsync(SinkConfigs.For(_destination, name, ("insert.mode", "insert"), ("batch.size", "200")));

        await pipeline.ApplyAsync(name, messages);

        Assert.That(await _destination.RowTextsAsync(name), Is.EqualTo(await table.RowTextsAsync()));
        Assert.That(pipeline.Metrics.Rows(name, "insert"), Is.EqualTo(501));
    }

    [Test]
    public async Task BatchesOfSeveralPartitions_GoInOneTransaction_AndAReplayAppliesNothingTwice()
    {
        var name = TestEnvironment.UniqueName("grouped");
        var table = await SourceTable.CreateAsync(_source, $"CREATE TABLE {name} (id integer PRIMARY KEY, v text)", name);
        await table.ExecuteAsync($"INSERT INTO {name} SELECT i, 'row ' || i FROM generate_series(1, 30) i");
        using var events = new ChangeEvents(name);
        var messages = new List<ChangeMessage>();
        foreach (var row in await table.RowsAsync()) messages.Add(await events.InsertAsync(table, row) with { Partition = messages.Count % 3 });
        var config = SinkConfigs.For(_destination, name, ("insert.mode", "insert"));

        await using (var pipeline = await ApplyPipeline.CreateAsync(config))
        {
            await pipeline.ApplyAsync(name, messages);
            Assert.That(pipeline.Metrics.Total("kafkacdc_sink_batches_total"), Is.EqualTo(1), "three partitions' batches, one transaction");
            Assert.That(pipeline.KafkaCommits.OrderBy(c => c.Partition.Value).Select(c => $"{c.Partition.Value}@{c.Offset.Value}"), Is.EqualTo(new[] { "0@10", "1@10", "2@10" }));
        }
        var recorded = await _destination.RecordedOffsetsAsync(SinkConfigs.Options(config).GroupId);
        Assert.That(new[] { 0, 1, 2 }.Select(p => recorded[(name, p)]), Is.EqualTo(new[] { 10L, 10L, 10L }));

        // The same records again (Kafka's commit lost, say): the offsets table fences every partition, no duplicates.
        await using (var replay = await ApplyPipeline.CreateAsync(config)) await replay.ApplyAsync(name, messages);
        Assert.That(await _destination.RowTextsAsync(name), Is.EqualTo(await table.RowTextsAsync()));
    }

    [Test]
    public async Task UpdateOfAKeyedRow_IsADuplicateKey_AndStopsItsTableAtItsOffset()
    {
        var name = TestEnvironment.UniqueName("appendonly");
        var table = await SourceTable.CreateAsync(_source, $"CREATE TABLE {name} (id integer PRIMARY KEY, v text)", name);
        await table.ExecuteAsync($"INSERT INTO {name} VALUES (1, 'a'), (2, 'b')");
        using var events = new ChangeEvents(name);
        var rows = await table.RowsAsync();
        await using var pipeline = await ApplyPipeline.CreateAsync(SinkConfigs.For(_destination, name, ("insert.mode", "insert")));

        var failure = await pipeline.ApplyStoppingAsync(name, await events.InsertAsync(table, rows[0]),
            await events.UpdateAsync(table, null, SourceTable.With(rows[0], "v", "changed")), await events.InsertAsync(table, rows[1]));

        Assert.That(failure.Describe(), Does.Contain($"record {name}/0/1 cannot be written").And.Contain("duplicate key"));
        Assert.That(await _destination.RowTextsAsync(name), Is.EqualTo(new[] { "(1,a)" }), "the records before it are committed");
        Assert.That(pipeline.KafkaCommits.Last().Offset.Value, Is.EqualTo(1));
    }
}
