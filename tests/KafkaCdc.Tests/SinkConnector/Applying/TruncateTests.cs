using KafkaCdc.Tests.SinkConnector.Support;

namespace KafkaCdc.Tests.SinkConnector.Applying;

/// <summary>Truncate events: applied once per LSN, on every partition, with the LSN barrier for late records.</summary>
public class TruncateTests
{
    string _source = "";
    SinkDestination _destination = null!;

    [OneTimeSetUp]
    public async Task CreateDatabasesAsync()
    {
        _source = await SourceTable.CreateDatabaseAsync("truncate_src");
        _destination = await SinkDestination.CreateAsync("truncate_dst");
    }

    async Task<(SourceTable, ChangeEvents)> TableAsync(string name)
    {
        var table = await SourceTable.CreateAsync(_source, $"CREATE TABLE {name} (id integer PRIMARY KEY, v text)", name);
        await table.ExecuteAsync($"INSERT INTO {name} SELECT i, 'v' || i FROM generate_series(1, 6) i");
        return (table, new ChangeEvents(name));
    }

    static ChangeMessage On(ChangeMessage message, int partition) => message with { Partition = partition };

    [Test]
    public async Task Truncate_EmptiesTheTableOnce_ThenLaterRecordsApply()
    {
        var name = TestEnvironment.UniqueName("emptied");
        var (table, events) = await TableAsync(name);
        using var _ = events;
        var rows = await table.RowsAsync();
        await using var pipeline = await ApplyPipeline.CreateAsync(SinkConfigs.For(_destination, name));
        var truncate = await events.TruncateAsync(table, lsn: 5000, partitions: 2);

        await pipeline.ApplyAsync(name, On(await events.InsertAsync(table, rows[0], 100), 0), On(await events.InsertAsync(table, rows[1], 110), 1),
            truncate[0], On(await events.InsertAsync(table, rows[2], 5100), 0), truncate[1]);

        Assert.That(await _destination.RowTextsAsync(name), Is.EqualTo(new[] { "(3,v3)" }), "the second copy of the truncate (partition 1) is not applied again");
        Assert.That(pipeline.Metrics.Rows(name, "truncate"), Is.EqualTo(1));
        Assert.That(pipeline.Metrics.Skipped("truncate_already_applied"), Is.EqualTo(1));
    }

    [Test]
    public async Task LateRecordOfAnotherPartition_OlderThanTheTruncate_IsSkipped()
    {
        var name = TestEnvironment.UniqueName("barrier");
        var (table, events) = await TableAsync(name);
        using var _ = events;
        var rows = await table.RowsAsync();
        var truncate = await events.TruncateAsync(table, lsn: 5000, partitions: 2);
        await using var pipeline = await ApplyPipeline.CreateAsync(SinkConfigs.For(_destination, name));

        // Partition 1 is read first: its copy of the truncate, then a newer row.
        await pipeline.ApplyAsync(name, On(await events.InsertAsync(table, rows[1], 4000), 1), truncate[1], On(await events.InsertAsync(table, rows[3], 5200), 1));
        // Partition 0 arrives late: a row committed before the TRUNCATE (must not come back), the truncate, a newer row.
        await pipeline.ApplyAsync(name, On(await events.InsertAsync(table, rows[0], 4100), 0), truncate[0], On(await events.InsertAsync(table, rows[4], 5300), 0));

        Assert.That(await _destination.RowTextsAsync(name), Is.EqualTo(new[] { "(4,v4)", "(5,v5)" }));
        Assert.That(pipeline.Metrics.Skipped("before_truncate"), Is.EqualTo(1));
        Assert.That(await _destination.ScalarAsync($"SELECT lsn FROM {_destination.Schema}.kafkacdc_sink_truncates WHERE table_name = '{name}'"), Is.EqualTo(5000L));
    }

    [Test]
    public async Task TruncateOfANewerLsn_AppliesAgain_AndTruncateDisabledSkips()
    {
        var name = TestEnvironment.UniqueName("twice");
        var (table, events) = await TableAsync(name);
        using var _ = events;
        var rows = await table.RowsAsync();
        await using var pipeline = await ApplyPipeline.CreateAsync(SinkConfigs.For(_destination, name));
        await pipeline.ApplyAsync(name, await events.InsertAsync(table, rows[0], 100), (await events.TruncateAsync(table, 200, 1))[0],
            await events.InsertAsync(table, rows[1], 300), (await events.TruncateAsync(table, 400, 1))[0], await events.InsertAsync(table, rows[2], 500));
        Assert.That(await _destination.RowTextsAsync(name), Is.EqualTo(new[] { "(3,v3)" }));

        await using var disabled = await ApplyPipeline.CreateAsync(SinkConfigs.For(_destination, name, ("truncate.enabled", "false")));
        await disabled.ApplyAsync(name, await events.InsertAsync(table, rows[3], 600), (await events.TruncateAsync(table, 700, 1))[0]);

        Assert.That(await _destination.RowTextsAsync(name), Is.EqualTo(new[] { "(3,v3)", "(4,v4)" }));
        Assert.That(disabled.Metrics.Skipped("truncate_disabled"), Is.EqualTo(1));
    }
}
