using KafkaCdc.Shared.Postgres;
using KafkaCdc.SinkConnector.Errors;
using KafkaCdc.Tests.SinkConnector.Support;

namespace KafkaCdc.Tests.SinkConnector.Destination;

/// <summary>Tables created from scratch and evolved by records; refused changes named in the error.</summary>
public class SchemaEvolutionTests
{
    string _source = "";
    SinkDestination _destination = null!;

    [OneTimeSetUp]
    public async Task CreateDatabasesAsync()
    {
        _source = await SourceTable.CreateDatabaseAsync("evolution_src");
        _destination = await SinkDestination.CreateAsync("evolution_dst");
    }

    [Test]
    public async Task FirstRecords_CreateTheTable_WithSourceTypesKeyAndNullability()
    {
        var name = TestEnvironment.UniqueName("orders");
        var table = await SourceTable.CreateAsync(_source,
            $"CREATE TABLE {name} (id integer PRIMARY KEY, note text NOT NULL, amount numeric(12,2), at timestamptz(3), tags varchar(10)[])", name);
        await table.ExecuteAsync($"INSERT INTO {name} VALUES (1, 'a', 1.50, '2024-01-01 10:00+00', '{{x,y}}'), (2, 'b', NULL, NULL, NULL)");
        using var events = new ChangeEvents(name);
        await using var pipeline = await ApplyPipeline.CreateAsync(SinkConfigs.For(_destination, name));

        await pipeline.ApplyAsync(name, await events.InsertsOfEveryRowAsync(table));

        Assert.That(await _destination.ColumnsAsync(name), Is.EqualTo(new[]
        {
            "id integer not null", "note text not null", "amount numeric(12,2)", "at timestamp(3) with time zone", "tags character varying(10)[]",
        }));
        Assert.That(await _destination.ScalarAsync($"SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = '{_destination.Schema}.{name}'::regclass AND contype = 'p'"),
            Is.EqualTo("PRIMARY KEY (id)"));
        Assert.That(await _destination.RowTextsAsync(name), Is.EqualTo(await table.RowTextsAsync()));
        Assert.That(await _destination.ScalarAsync($"SELECT tableowner FROM pg_tables WHERE tablename = '{name}'"), Is.EqualTo(_destination.User));
    }

    [Test]
    public async Task NewSourceColumn_IsAddedNullableWithItsConstantDefault_AndOlderRecordsStillApply()
    {
        var name = TestEnvironment.UniqueName("evolving");
        var table = await SourceTable.CreateAsync(_source, $"CREATE TABLE {name} (id integer PRIMARY KEY, a text)", name);
        await table.ExecuteAsync($"INSERT INTO {name} VALUES (1, 'one')");
        using var events = new ChangeEvents(name);
        await using var pipeline = await ApplyPipeline.CreateAsync(SinkConfigs.For(_destination, name));
        var oldInsert = await events.InsertAsync(table, await table.RowAsync("id = 1"));
        await pipeline.ApplyAsync(name, oldInsert);

        await table.ExecuteAsync($"ALTER TABLE {name} ADD COLUMN b bigint NOT NULL DEFAULT 7; INSERT INTO {name} VALUES (2, 'two', 42)");
        await table.RefreshAsync();
        await pipeline.ApplyAsync(name, await events.InsertAsync(table, await table.RowAsync("id = 2")));
        // A replay of the older record, without the new field, leaves the column alone.
        await pipeline.ApplyAsync(name, oldInsert);

        Assert.That(await _destination.ColumnsAsync(name), Is.EqualTo(new[] { "id integer not null", "a text", "b bigint" }));
        // Row 1 was never sent again: like the source, it reads the constant default (it read NULL before issue 13).
        Assert.That(await _destination.RowTextsAsync(name), Is.EqualTo(new[] { "(1,one,7)", "(2,two,42)" }));
    }

    [Test]
    public async Task NewSourceColumnOfATypeMissingHere_IsAddedAsTextWithItsDefaultsText()
    {
        var name = TestEnvironment.UniqueName("fallback_default");
        var table = await SourceTable.CreateAsync(_source, $"""
            CREATE TYPE {name}_mood AS ENUM ('sad', 'happy');
            CREATE TABLE {name} (id integer PRIMARY KEY, a text)
            """, name);
        await table.ExecuteAsync($"INSERT INTO {name} VALUES (1, 'one')");
        using var events = new ChangeEvents(name);
        await using var pipeline = await ApplyPipeline.CreateAsync(SinkConfigs.For(_destination, name));
        await pipeline.ApplyAsync(name, await events.InsertAsync(table, await table.RowAsync("id = 1")));

        await table.ExecuteAsync($"ALTER TABLE {name} ADD COLUMN mood {name}_mood DEFAULT 'happy', ADD COLUMN moods {name}_mood[] DEFAULT '{{sad,happy}}'; INSERT INTO {name} VALUES (2, 'two', 'sad', '{{sad}}')");
        await table.RefreshAsync();
        await pipeline.ApplyAsync(name, await events.InsertAsync(table, await table.RowAsync("id = 2")));

        Assert.That(await _destination.ColumnsAsync(name), Is.EqualTo(new[] { "id integer not null", "a text", "mood text", "moods text[]" }));
        // Row 1 was never sent again: it reads the default's text, as the source's enum reads as text (it read NULL before).
        Assert.That(await _destination.RowTextsAsync(name), Is.EqualTo(await table.RowTextsAsync()));
    }

    [Test]
    public async Task WidenedSourceColumns_AreWidenedHereToo_AndTheWiderValuesWritten()
    {
        var name = TestEnvironment.UniqueName("widened");
        var table = await SourceTable.CreateAsync(_source, $"CREATE TABLE {name} (id integer PRIMARY KEY, qty integer, code varchar(3), price numeric(5,2))", name);
        await table.ExecuteAsync($"INSERT INTO {name} VALUES (1, 5, 'abc', 123.45), (3, 7, 'xyz', 999.99)");
        using var events = new ChangeEvents(name);
        await using var pipeline = await ApplyPipeline.CreateAsync(SinkConfigs.For(_destination, name));
        await pipeline.ApplyAsync(name, await events.InsertAsync(table, await table.RowAsync("id = 1")));
        // Written before the change, applied after it (another partition, or a replay): the narrower types still fit.
        var older = await events.InsertAsync(table, await table.RowAsync("id = 3"));

        await table.ExecuteAsync($"""
            ALTER TABLE {name} ALTER COLUMN qty TYPE bigint, ALTER COLUMN code TYPE varchar(10), ALTER COLUMN price TYPE numeric(9,2);
            INSERT INTO {name} VALUES (2, 5000000000, 'abcdefghij', 1234567.89);
            """);
        await table.RefreshAsync();
        await pipeline.ApplyAsync(name, await events.InsertAsync(table, await table.RowAsync("id = 2")));

        Assert.That(await _destination.ColumnsAsync(name),
            Is.EqualTo(new[] { "id integer not null", "qty bigint", "code character varying(10)", "price numeric(9,2)" }));
        await pipeline.ApplyAsync(name, older);
        Assert.That(await _destination.RowTextsAsync(name), Is.EqualTo(await table.RowTextsAsync()));
    }

    [Test]
    public async Task RetypedColumn_IsRefused_NamingTableColumnAndTypes()
    {
        var name = TestEnvironment.UniqueName("retyped");
        var table = await SourceTable.CreateAsync(_source, $"CREATE TABLE {name} (id integer PRIMARY KEY, qty integer)", name);
        await table.ExecuteAsync($"INSERT INTO {name} VALUES (1, 5)");
        using var events = new ChangeEvents(name);
        // The registry refuses an incompatible schema on the same subject: such records arrive on another topic.
        using var retypedEvents = new ChangeEvents(name + "_retyped");
        await using var pipeline = await ApplyPipeline.CreateAsync(SinkConfigs.For(_destination, name, ("table.name.format", "${source.table}")));
        await pipeline.ApplyAsync(name, await events.InsertAsync(table, await table.RowAsync("id = 1")));

        await table.ExecuteAsync($"ALTER TABLE {name} ALTER COLUMN qty TYPE text; INSERT INTO {name} VALUES (2, 'many')");
        await table.RefreshAsync();
        var failure = await pipeline.ApplyStoppingAsync(name + "_retyped", await retypedEvents.InsertAsync(table, await table.RowAsync("id = 2")));

        Assert.That(failure.Describe(), Does.Contain($"\"{_destination.Schema}\".\"{name}\"").And.Contain("column \"qty\" is integer here but text in the records"));
        Assert.That(failure.Describe(), Does.Contain($"{name}_retyped/0/0"), "names topic/partition/offset");
        Assert.That(await _destination.ColumnsAsync(name), Is.EqualTo(new[] { "id integer not null", "qty integer" }));
    }

    [Test]
    public async Task DroppedColumn_IsKept_AndMadeNullableWhenNotNullWithoutDefault()
    {
        var name = TestEnvironment.UniqueName("dropped");
        var table = await SourceTable.CreateAsync(_source, $"CREATE TABLE {name} (id integer PRIMARY KEY, keep text, gone text, strict text NOT NULL)", name);
        await table.ExecuteAsync($"INSERT INTO {name} VALUES (1, 'k', 'g', 's')");
        using var events = new ChangeEvents(name);
        await using var pipeline = await ApplyPipeline.CreateAsync(SinkConfigs.For(_destination, name));
        await pipeline.ApplyAsync(name, await events.InsertAsync(table, await table.RowAsync("id = 1")));

        await table.ExecuteAsync($"ALTER TABLE {name} DROP COLUMN gone; INSERT INTO {name} VALUES (2, 'k2', 's2')");
        await table.RefreshAsync();
        await pipeline.ApplyAsync(name, await events.InsertAsync(table, await table.RowAsync("id = 2")));
        Assert.That(await _destination.RowTextsAsync(name), Is.EqualTo(new[] { "(1,k,g,s)", "(2,k2,,s2)" }), "the sink never drops a column; new rows get NULL");

        await table.ExecuteAsync($"ALTER TABLE {name} DROP COLUMN strict; INSERT INTO {name} VALUES (3, 'k3')");
        await table.RefreshAsync();
        await pipeline.ApplyAsync(name, await events.InsertAsync(table, await table.RowAsync("id = 3")));

        Assert.That(await _destination.ColumnsAsync(name), Has.Member("strict text"), "kept, and nullable now");
        Assert.That(await _destination.RowTextsAsync(name), Is.EqualTo(new[] { "(1,k,g,s)", "(2,k2,,s2)", "(3,k3,,)" }));
    }

    [Test]
    public async Task DroppedNotNullColumn_UnderSchemaEvolutionNone_IsRefused()
    {
        var name = TestEnvironment.UniqueName("dropped_none");
        var table = await SourceTable.CreateAsync(_source, $"CREATE TABLE {name} (id integer PRIMARY KEY, strict text NOT NULL)", name);
        await _destination.ExecuteAsync($"CREATE TABLE {PgIdentifier.Quote(_destination.Schema, name)} (id integer PRIMARY KEY, strict text NOT NULL)");
        await table.ExecuteAsync($"ALTER TABLE {name} DROP COLUMN strict; INSERT INTO {name} VALUES (1)");
        await table.RefreshAsync();
        using var events = new ChangeEvents(name);
        await using var pipeline = await ApplyPipeline.CreateAsync(SinkConfigs.For(_destination, name, ("schema.evolution", "none")));
        var failure = await pipeline.ApplyStoppingAsync(name, await events.InsertAsync(table, await table.RowAsync("id = 1")));

        Assert.That(failure.Describe(), Does.Contain($"\"{name}\"").And.Contain("column \"strict\" is NOT NULL without a default, and the records do not carry it"));
        Assert.That(await _destination.ColumnsAsync(name), Has.Member("strict text not null"));
    }

    [Test]
    public async Task ChangedPrimaryKey_IsRefused()
    {
        var name = TestEnvironment.UniqueName("rekeyed");
        var table = await SourceTable.CreateAsync(_source, $"CREATE TABLE {name} (id integer PRIMARY KEY, code text NOT NULL)", name);
        await table.ExecuteAsync($"INSERT INTO {name} VALUES (1, 'a')");
        using var events = new ChangeEvents(name);
        using var rekeyedEvents = new ChangeEvents(name + "_rekeyed");
        await using var pipeline = await ApplyPipeline.CreateAsync(SinkConfigs.For(_destination, name, ("table.name.format", "${source.table}")));
        await pipeline.ApplyAsync(name, await events.InsertAsync(table, await table.RowAsync("id = 1")));

        await table.ExecuteAsync($"ALTER TABLE {name} DROP CONSTRAINT {name}_pkey, ADD PRIMARY KEY (id, code); INSERT INTO {name} VALUES (2, 'b')");
        await table.RefreshAsync();
        var failure = await pipeline.ApplyStoppingAsync(name + "_rekeyed", await rekeyedEvents.InsertAsync(table, await table.RowAsync("id = 2")));

        Assert.That(failure.Describe(), Does.Contain("its primary key is (id), the records' key is (id, code)"));
    }

    [Test]
    public async Task EvolutionNone_MissingTableOrColumn_IsAClearError()
    {
        var name = TestEnvironment.UniqueName("fixed");
        var table = await SourceTable.CreateAsync(_source, $"CREATE TABLE {name} (id integer PRIMARY KEY, a text, b text)", name);
        await table.ExecuteAsync($"INSERT INTO {name} VALUES (1, 'x', 'y')");
        using var events = new ChangeEvents(name);
        var insert = await events.InsertAsync(table, await table.RowAsync("id = 1"));
        await using var pipeline = await ApplyPipeline.CreateAsync(SinkConfigs.For(_destination, name, ("schema.evolution", "none")));

        var missingTable = await pipeline.ApplyStoppingAsync(name, insert);
        await _destination.ExecuteAsync($"CREATE TABLE {_destination.Schema}.{name} (id integer PRIMARY KEY, a text); GRANT ALL ON {_destination.Schema}.{name} TO {_destination.User}");
        await using var again = await ApplyPipeline.CreateAsync(SinkConfigs.For(_destination, name, ("schema.evolution", "none")));
        var missingColumn = await again.ApplyStoppingAsync(name, insert);

        Assert.That(missingTable.Describe(), Does.Contain("the table does not exist, and schema.evolution=none does not create it"));
        Assert.That(missingColumn.Describe(), Does.Contain("column \"b\" (text) is missing, and schema.evolution=none does not add it"));
        Assert.That(missingColumn.Exception, Is.InstanceOf<UnwritableRecordException>());
    }
}
