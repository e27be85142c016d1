using KafkaCdc.Shared.Postgres;
using KafkaCdc.Tests.SinkConnector.Support;

namespace KafkaCdc.Tests.SinkConnector.Applying;

/// <summary>Upsert mode: set-based batches, reduction by key, idempotence under replay, deletes, tombstones, TOAST placeholders.</summary>
public class UpsertTests
{
    string _source = "";
    SinkDestination _destination = null!;

    [OneTimeSetUp]
    public async Task CreateDatabasesAsync()
    {
        _source = await SourceTable.CreateDatabaseAsync("upsert_src");
        _destination = await SinkDestination.CreateAsync("upsert_dst");
    }

    async Task<(SourceTable Table, ChangeEvents Events, List<ChangeMessage> Messages)> HistoryAsync(string name)
    {
        var table = await SourceTable.CreateAsync(_source, $"CREATE TABLE {name} (id integer PRIMARY KEY, name text, qty integer)", name);
        var events = new ChangeEvents(name);
        var messages = new List<ChangeMessage>();
        for (var i = 1; i <= 20; i++)
        {
            await table.ExecuteAsync($"INSERT INTO {name} VALUES ({i}, 'item {i}', {i})");
            messages.Add(await events.InsertAsync(table, await table.RowAsync($"id = {i}")));
        }
        for (var i = 1; i <= 20; i += 3)
        {
            await table.ExecuteAsync($"UPDATE {name} SET qty = qty * 10, name = name || ' (updated)' WHERE id = {i}");
            messages.Add(await events.UpdateAsync(table, null, await table.RowAsync($"id = {i}")));
        }
        for (var i = 2; i <= 20; i += 5)
        {
            var before = table.KeyOnly(await table.RowAsync($"id = {i}"));
            await table.ExecuteAsync($"DELETE FROM {name} WHERE id = {i}");
            messages.Add(await events.DeleteAsync(table, before));
            messages.Add(await events.TombstoneAsync(table, before));
        }
        await table.ExecuteAsync($"INSERT INTO {name} VALUES (2, 'back again', 0)");
        messages.Add(await events.InsertAsync(table, await table.RowAsync("id = 2")));
        return (table, events, messages);
    }

    [TestCase(1000)]
    [TestCase(7)]
    public async Task InsertsUpdatesDeletes_InBatches_TableEqualsSource(int batchSize)
    {
        var name = TestEnvironment.UniqueName("history");
        var (table, events, messages) = await HistoryAsync(name);
        using var _ = events;
        await using var pipeline = await ApplyPipeline.CreateAsync(SinkConfigs.For(_destination, name, ("batch.size", batchSize.ToString())));

        await pipeline.ApplyAsync(name, messages);

        Assert.That(await _destination.RowTextsAsync(name), Is.EqualTo(await table.RowTextsAsync()));
        Assert.That(pipeline.KafkaCommits.Last().Offset.Value, Is.EqualTo(messages.Count));
        Assert.That(pipeline.Metrics.Rows(name, "delete"), Is.GreaterThan(0));
    }

    [Test]
    public async Task ReplayOfTheWholeTopicOrASuffix_LeavesTheSameState()
    {
        var name = TestEnvironment.UniqueName("replayed");
        var (table, events, messages) = await HistoryAsync(name);
        using var _ = events;
        var config = SinkConfigs.For(_destination, name, ("batch.size", "5"));
        await using (var first = await ApplyPipeline.CreateAsync(config)) await first.ApplyAsync(name, messages);
        var expected = await table.RowTextsAsync();

        // Another group (no recorded offsets) re-applies everything, then a suffix again.
        await using var replay = await ApplyPipeline.CreateAsync(SinkConfigs.For(_destination, name, ("batch.size", "5")));
        await replay.ApplyAsync(name, messages);
        Assert.That(await _destination.RowTextsAsync(name), Is.EqualTo(expected));
        await using var suffix = await ApplyPipeline.CreateAsync(SinkConfigs.For(_destination, name, ("batch.size", "3")));
        await suffix.ApplyAsync(name, messages.Skip(17));

        Assert.That(await _destination.RowTextsAsync(name), Is.EqualTo(expected));
    }

    [Test]
    public async Task SameGroupReplay_SkipsWhatTheOffsetsTableRecords()
    {
        var name = TestEnvironment.UniqueName("fenced");
        var (_, events, messages) = await HistoryAsync(name);
        using var _ = events;
        var config = SinkConfigs.For(_destination, name);
        await using (var first = await ApplyPipeline.CreateAsync(config)) await first.ApplyAsync(name, messages);

        await using var again = await ApplyPipeline.CreateAsync(config);
        await again.ApplyAsync(name, messages);

        Assert.That(again.Metrics.Skipped("already_applied"), Is.EqualTo(messages.Count));
        Assert.That(again.KafkaCommits.Single().Offset.Value, Is.EqualTo(messages.Count));
    }

    [Test]
    public async Task DeletesDisabled_DeletesAndTombstonesAreSkippedAndCounted()
    {
        var name = TestEnvironment.UniqueName("kept");
        var table = await SourceTable.CreateAsync(_source, $"CREATE TABLE {name} (id integer PRIMARY KEY, v text)", name);
        await table.ExecuteAsync($"INSERT INTO {name} VALUES (1, 'a'), (2, 'b')");
        using var events = new ChangeEvents(name);
        var rows = await table.RowsAsync();
        var before = table.KeyOnly(rows[0]);
        await using var pipeline = await ApplyPipeline.CreateAsync(SinkConfigs.For(_destination, name, ("delete.enabled", "false")));

        await pipeline.ApplyAsync(name, await events.InsertAsync(table, rows[0]), await events.InsertAsync(table, rows[1]),
            await events.DeleteAsync(table, before), await events.TombstoneAsync(table, before));

        Assert.That(await _destination.RowTextsAsync(name), Is.EqualTo(new[] { "(1,a)", "(2,b)" }));
        Assert.That(pipeline.Metrics.Skipped("delete_disabled"), Is.EqualTo(2));
    }

    [Test]
    public async Task TombstoneAlone_DeletesTheRowByKey()
    {
        var name = TestEnvironment.UniqueName("compacted");
        var table = await SourceTable.CreateAsync(_source, $"CREATE TABLE {name} (id integer PRIMARY KEY, v text)", name);
        await table.ExecuteAsync($"INSERT INTO {name} VALUES (1, 'a'), (2, 'b')");
        using var events = new ChangeEvents(name);
        var rows = await table.RowsAsync();
        await using var pipeline = await ApplyPipeline.CreateAsync(SinkConfigs.For(_destination, name));
        await pipeline.ApplyAsync(name, await events.InsertAsync(table, rows[0]), await events.InsertAsync(table, rows[1]));

        // Log compaction may leave only the tombstone of a deleted row.
        await pipeline.ApplyAsync(name, await events.TombstoneAsync(table, table.KeyOnly(rows[0])));

        Assert.That(await _destination.RowTextsAsync(name), Is.EqualTo(new[] { "(2,b)" }));
    }

    [Test]
    public async Task UpdateChangingTheKey_RemovesTheOldRow()
    {
        var name = TestEnvironment.UniqueName("rekey");
        var table = await SourceTable.CreateAsync(_source, $"CREATE TABLE {name} (id integer PRIMARY KEY, v text)", name);
        await table.ExecuteAsync($"INSERT INTO {name} VALUES (1, 'a')");
        using var events = new ChangeEvents(name);
        var old = await table.RowAsync("id = 1");
        var insert = await events.InsertAsync(table, old);
        await table.ExecuteAsync($"UPDATE {name} SET id = 5 WHERE id = 1");
        await using var pipeline = await ApplyPipeline.CreateAsync(SinkConfigs.For(_destination, name));

        await pipeline.ApplyAsync(name, insert, await events.UpdateAsync(table, table.KeyOnly(old), await table.RowAsync("id = 5")));

        Assert.That(await _destination.RowTextsAsync(name), Is.EqualTo(await table.RowTextsAsync()));
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task UnchangedToastPlaceholder_NeverOverwritesTheStoredValue(bool sameBatch)
    {
        var name = TestEnvironment.UniqueName("toasted");
        var table = await SourceTable.CreateAsync(_source, $"CREATE TABLE {name} (id integer PRIMARY KEY, big text, blob bytea, n integer)", name);
        await table.ExecuteAsync($"INSERT INTO {name} VALUES (1, repeat('x', 100000), '\\xdeadbeef', 1), (2, 'small', NULL, 1)");
        using var events = new ChangeEvents(name);
        var inserts = await events.InsertsOfEveryRowAsync(table);
        await table.ExecuteAsync($"UPDATE {name} SET n = n + 1");
        // pgoutput leaves unchanged TOASTed values out; the source writes the placeholder instead.
        var updates = new List<ChangeMessage>();
        foreach (var row in await table.RowsAsync())
        {
            var after = SourceTable.With(SourceTable.With(row, "big", PgUnavailableValue.Text), "blob", PgUnavailableValue.Bytes);
            updates.Add(await events.UpdateAsync(table, null, after));
        }
        await using var pipeline = await ApplyPipeline.CreateAsync(SinkConfigs.For(_destination, name));

        if (sameBatch)
        {
            await pipeline.ApplyAsync(name, [.. inserts, .. updates]);
        }
        else
        {
            await pipeline.ApplyAsync(name, inserts);
            await pipeline.ApplyAsync(name, updates);
        }

        Assert.That(await _destination.RowTextsAsync(name), Is.EqualTo(await table.RowTextsAsync()));
    }

    [Test]
    public async Task ToastPlaceholderWithFullBeforeImage_TakesTheBeforeValue()
    {
        var name = TestEnvironment.UniqueName("toast_full");
        var table = await SourceTable.CreateAsync(_source, $"CREATE TABLE {name} (id integer PRIMARY KEY, big text, n integer); ALTER TABLE {name} REPLICA IDENTITY FULL", name);
        await table.ExecuteAsync($"INSERT INTO {name} VALUES (1, repeat('y', 50000), 1)");
        using var events = new ChangeEvents(name);
        var before = await table.RowAsync("id = 1");
        await table.ExecuteAsync($"UPDATE {name} SET n = 2");
        var after = SourceTable.With(await table.RowAsync("id = 1"), "big", PgUnavailableValue.Text);
        await using var pipeline = await ApplyPipeline.CreateAsync(SinkConfigs.For(_destination, name));

        // The destination never saw the insert: only the before image knows the value.
        await pipeline.ApplyAsync(name, await events.UpdateAsync(table, before, after));

        Assert.That(await _destination.RowTextsAsync(name), Is.EqualTo(await table.RowTextsAsync()));
    }

    [TestCase("upsert")]
    [TestCase("insert")]
    public async Task ToastPlaceholderWithoutStoredRow_WrittenAsNullCountedAndLogged(string insertMode)
    {
        var name = TestEnvironment.UniqueName("toast_lost");
        var table = await SourceTable.CreateAsync(_source, $"CREATE TABLE {name} (id integer PRIMARY KEY, big text, n integer)", name);
        await table.ExecuteAsync($"INSERT INTO {name} VALUES (7, repeat('z', 50000), 1)");
        using var events = new ChangeEvents(name);
        // What a key-changing update under REPLICA IDENTITY DEFAULT produces: a create whose TOASTed value was not logged.
        var create = await events.InsertAsync(table, SourceTable.With(await table.RowAsync("id = 7"), "big", PgUnavailableValue.Text));
        await using var pipeline = await ApplyPipeline.CreateAsync(SinkConfigs.For(_destination, name, ("insert.mode", insertMode)));

        await pipeline.ApplyAsync(name, create);

        Assert.That(await _destination.RowTextsAsync(name), Is.EqualTo(new[] { "(7,,1)" }), "no placeholder text in the table");
        Assert.That(pipeline.Metrics.UnavailableAsNull(name), Is.EqualTo(1));
        Assert.That(pipeline.Logging.Text, Does.Contain("written as NULL").And.Contain("REPLICA IDENTITY FULL"));
    }
}
