using KafkaCdc.Tests.SinkConnector.Support;

namespace KafkaCdc.Tests.SinkConnector.Applying;

/// <summary>Composite keys and tables without a key, per <c>primary.key.mode</c>.</summary>
public class PrimaryKeyModeTests
{
    string _source = "";
    SinkDestination _destination = null!;

    [OneTimeSetUp]
    public async Task CreateDatabasesAsync()
    {
        _source = await SourceTable.CreateDatabaseAsync("pkmode_src");
        _destination = await SinkDestination.CreateAsync("pkmode_dst");
    }

    async Task<string?> PrimaryKeyAsync(string table) =>
        (string?)await _destination.ScalarAsync(
            $"SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = to_regclass('{_destination.Schema}.\"{table}\"') AND contype = 'p'");

    [Test]
    public async Task RecordKey_CompositeKey_InKeyOrder()
    {
        var name = TestEnvironment.UniqueName("lines");
        var table = await SourceTable.CreateAsync(_source, $"CREATE TABLE {name} (qty integer, line integer, order_id bigint, PRIMARY KEY (order_id, line))", name);
        await table.ExecuteAsync($"INSERT INTO {name} VALUES (5, 1, 100), (6, 2, 100), (7, 1, 200)");
        using var events = new ChangeEvents(name);
        var rows = await table.RowsAsync(orderBy: "order_id, line");
        await table.ExecuteAsync($"UPDATE {name} SET qty = 60 WHERE order_id = 100 AND line = 2; DELETE FROM {name} WHERE order_id = 200");
        await using var pipeline = await ApplyPipeline.CreateAsync(SinkConfigs.For(_destination, name));

        await pipeline.ApplyAsync(name,
            await events.InsertAsync(table, rows[0]), await events.InsertAsync(table, rows[1]), await events.InsertAsync(table, rows[2]),
            await events.UpdateAsync(table, null, await table.RowAsync("order_id = 100 AND line = 2")),
            await events.DeleteAsync(table, table.KeyOnly(rows[2])));

        Assert.That(await PrimaryKeyAsync(name), Is.EqualTo("PRIMARY KEY (order_id, line)"));
        Assert.That(await _destination.RowTextsAsync(name), Is.EqualTo(await table.RowTextsAsync()));
    }

    [Test]
    public async Task RecordValue_KeyFromTheListedFields()
    {
        var name = TestEnvironment.UniqueName("byvalue");
        var table = await SourceTable.CreateAsync(_source, $"CREATE TABLE {name} (id serial PRIMARY KEY, region text NOT NULL, code text NOT NULL, v integer)", name);
        await table.ExecuteAsync($"INSERT INTO {name} (region, code, v) VALUES ('eu', 'a', 1), ('us', 'a', 2)");
        using var events = new ChangeEvents(name);
        var rows = await table.RowsAsync();
        await using var pipeline = await ApplyPipeline.CreateAsync(SinkConfigs.For(_destination, name,
            ("primary.key.mode", "record_value"), ("primary.key.fields", "code,region")));

        // A second insert with the same (code, region) upserts.
        await pipeline.ApplyAsync(name, await events.InsertAsync(table, rows[0]), await events.InsertAsync(table, rows[1]),
            await events.InsertAsync(table, SourceTable.With(SourceTable.With(rows[0], "id", 99), "v", 3)));

        Assert.That(await PrimaryKeyAsync(name), Is.EqualTo("PRIMARY KEY (code, region)"));
        Assert.That(await _destination.RowTextsAsync(name), Is.EqualTo(new[] { "(2,us,a,2)", "(99,eu,a,3)" }));
    }

    [Test]
    public async Task Kafka_CoordinatesAreTheKey_AndReplayIsIdempotent()
    {
        var name = TestEnvironment.UniqueName("log");
        var table = await SourceTable.CreateAsync(_source, $"CREATE TABLE {name} (id integer PRIMARY KEY, v text)", name);
        await table.ExecuteAsync($"INSERT INTO {name} VALUES (1, 'a')");
        using var events = new ChangeEvents(name);
        var row = await table.RowAsync("id = 1");
        var messages = new[] { await events.InsertAsync(table, row), await events.UpdateAsync(table, null, SourceTable.With(row, "v", "b")), await events.DeleteAsync(table, table.KeyOnly(row)) };
        var config = SinkConfigs.For(_destination, name, ("primary.key.mode", "kafka"));
        await using (var first = await ApplyPipeline.CreateAsync(config)) await first.ApplyAsync(name, messages);

        await using var replay = await ApplyPipeline.CreateAsync(SinkConfigs.For(_destination, name, ("primary.key.mode", "kafka")));
        await replay.ApplyAsync(name, messages);

        Assert.That(await _destination.ColumnsAsync(name), Is.EqualTo(new[]
        {
            "__connect_topic text not null", "__connect_partition integer not null", "__connect_offset bigint not null", "id integer not null", "v text",
        }));
        Assert.That(await PrimaryKeyAsync(name), Is.EqualTo("PRIMARY KEY (__connect_topic, __connect_partition, __connect_offset)"));
        Assert.That(await _destination.RowTextsAsync(name), Is.EqualTo(new[] { $"({name},0,0,1,a)", $"({name},0,1,1,b)" }));
        Assert.That(replay.Metrics.Skipped("delete_needs_key"), Is.EqualTo(1));
    }

    [TestCase("record_key")]
    [TestCase("none")]
    public async Task NoKey_DuplicateRowsStayDuplicates_AndUpdatesOrDeletesChangeExactlyOne(string mode)
    {
        var name = TestEnvironment.UniqueName("keyless");
        var table = await SourceTable.CreateAsync(_source, $"CREATE TABLE {name} (a integer, b text, c jsonb); ALTER TABLE {name} REPLICA IDENTITY FULL", name);
        await table.ExecuteAsync($$"""INSERT INTO {{name}} VALUES (1, 'x', '{"k": 1}'), (1, 'x', '{"k": 1}'), (1, 'x', '{"k": 1}'), (2, NULL, NULL)""");
        using var events = new ChangeEvents(name);
        var rows = await table.RowsAsync(orderBy: "a");
        var messages = new List<ChangeMessage>();
        foreach (var row in rows) messages.Add(await events.InsertAsync(table, row));
        // As at the source: change one of three equal rows, delete another, and one row with NULLs.
        await table.ExecuteAsync($"UPDATE {name} SET b = 'y' WHERE ctid = (SELECT ctid FROM {name} WHERE a = 1 LIMIT 1)");
        messages.Add(await events.UpdateAsync(table, rows[0], SourceTable.With(rows[0], "b", "y")));
        await table.ExecuteAsync($"DELETE FROM {name} WHERE ctid = (SELECT ctid FROM {name} WHERE a = 1 AND b = 'x' LIMIT 1)");
        messages.Add(await events.DeleteAsync(table, rows[1]));
        await table.ExecuteAsync($"DELETE FROM {name} WHERE a = 2");
        messages.Add(await events.DeleteAsync(table, rows[3]));
        await using var pipeline = await ApplyPipeline.CreateAsync(SinkConfigs.For(_destination, name, ("primary.key.mode", mode)));

        await pipeline.ApplyAsync(name, messages);

        Assert.That(await PrimaryKeyAsync(name), Is.Null);
        Assert.That(await _destination.RowTextsAsync(name), Is.EqualTo(await table.RowTextsAsync()));
        Assert.That(await _destination.RowTextsAsync(name), Has.Count.EqualTo(2));
    }

    [Test]
    public async Task RecordKey_NullKeyForATableWithAKeyAtTheSource_IsARecordError()
    {
        var name = TestEnvironment.UniqueName("nullkey");
        var table = await SourceTable.CreateAsync(_source, $"CREATE TABLE {name} (id integer PRIMARY KEY)", name);
        await table.ExecuteAsync($"INSERT INTO {name} VALUES (1)");
        using var events = new ChangeEvents(name);
        var insert = await events.InsertAsync(table, await table.RowAsync("id = 1"));
        await using var pipeline = await ApplyPipeline.CreateAsync(SinkConfigs.For(_destination, name));

        var failure = await pipeline.ApplyStoppingAsync(name, insert with { Key = null });

        Assert.That(failure.Describe(), Does.Contain("the record has no key, but column \"id\"").And.Contain($"{name}/0/0"));
    }
}
