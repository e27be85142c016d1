using KafkaCdc.Shared.Postgres;
using KafkaCdc.SinkConnector.Destination;
using KafkaCdc.Tests.SinkConnector.Support;

namespace KafkaCdc.Tests.SinkConnector.Destination;

/// <summary>
/// Stored generated columns described by the records (<c>kafkacdc.generated</c>): created and added with their
/// expressions and never written; an expression that is not one expression is refused before any DDL, one this
/// database cannot run is a record's failure naming table, column and expression.
/// </summary>
public class GeneratedColumnEvolutionTests
{
    string _source = "";
    SinkDestination _destination = null!;

    [OneTimeSetUp]
    public async Task CreateDatabasesAsync()
    {
        _source = await SourceTable.CreateDatabaseAsync("generated_src");
        _destination = await SinkDestination.CreateAsync("generated_dst");
    }

    [Test]
    public async Task GeneratedColumns_CreatedAfterTheOthers_AddedLater_AndComputedHere()
    {
        var name = TestEnvironment.UniqueName("generated");
        var table = await SourceTable.CreateAsync(_source,
            $"CREATE TABLE {name} (id integer PRIMARY KEY, g2 integer GENERATED ALWAYS AS (id * 2) STORED, name text NOT NULL)", name);
        await table.ExecuteAsync($"INSERT INTO {name} (id, name) VALUES (1, 'One')");
        using var events = new ChangeEvents(name);
        await using var pipeline = await ApplyPipeline.CreateAsync(SinkConfigs.For(_destination, name));
        await pipeline.ApplyAsync(name, await events.InsertsOfEveryRowAsync(table));

        await table.ExecuteAsync($"ALTER TABLE {name} ADD COLUMN low text GENERATED ALWAYS AS (lower(name)) STORED; INSERT INTO {name} (id, name) VALUES (2, 'Two')");
        await table.RefreshAsync();
        await pipeline.ApplyAsync(name, await events.InsertAsync(table, await table.RowAsync("id = 2")));

        Assert.That(await _destination.ColumnsAsync(name), Is.EqualTo(new[] { "id integer not null", "name text not null", "g2 integer", "low text" }),
            "generated columns after the others (the destination's order; compared by name)");
        Assert.That(await _destination.RowTextsAsync(name), Is.EqualTo(new[] { "(1,One,2,one)", "(2,Two,4,two)" }), "row 1, never sent again, computed here too");
    }

    [Test]
    public async Task ExistingColumnOfThatName_IsLeftAlone()
    {
        var name = TestEnvironment.UniqueName("generated_kept");
        var table = await SourceTable.CreateAsync(_source, $"CREATE TABLE {name} (id integer PRIMARY KEY, g integer GENERATED ALWAYS AS (id * 2) STORED)", name);
        await table.ExecuteAsync($"INSERT INTO {name} (id) VALUES (1)");
        await _destination.ExecuteAsync(
            $"CREATE TABLE {_destination.Schema}.{name} (id integer PRIMARY KEY, g integer GENERATED ALWAYS AS (id * 10) STORED); GRANT ALL ON {_destination.Schema}.{name} TO {_destination.User}");
        using var events = new ChangeEvents(name);
        await using var pipeline = await ApplyPipeline.CreateAsync(SinkConfigs.For(_destination, name));

        await pipeline.ApplyAsync(name, await events.InsertsOfEveryRowAsync(table));

        Assert.That(await _destination.RowTextsAsync(name), Is.EqualTo(new[] { "(1,10)" }), "the destination's own expression, never altered");
    }

    [Test]
    public async Task ExpressionDroppedAtTheSource_ValuesForTheGeneratedColumnHere_RefusedNamingTheFix()
    {
        var name = TestEnvironment.UniqueName("generated_dropexpr");
        var table = await SourceTable.CreateAsync(_source, $"CREATE TABLE {name} (id integer PRIMARY KEY, g integer GENERATED ALWAYS AS (id * 2) STORED)", name);
        await table.ExecuteAsync($"INSERT INTO {name} (id) VALUES (1)");
        using var events = new ChangeEvents(name);
        await using var pipeline = await ApplyPipeline.CreateAsync(SinkConfigs.For(_destination, name));
        await pipeline.ApplyAsync(name, await events.InsertsOfEveryRowAsync(table));

        await table.ExecuteAsync($"ALTER TABLE {name} ALTER COLUMN g DROP EXPRESSION; INSERT INTO {name} VALUES (2, 5)");
        await table.RefreshAsync();
        var failure = await pipeline.ApplyStoppingAsync(name, await events.InsertAsync(table, await table.RowAsync("id = 2")));

        Assert.That(failure.Describe(), Does.Contain("column \"g\" is generated here, but the records carry its values")
            .And.Contain($"ALTER TABLE \"{_destination.Schema}\".\"{name}\" ALTER COLUMN \"g\" DROP EXPRESSION"));
    }

    [TestCase("1); DROP TABLE kafkacdc.victim; --", "a parenthesis closes that was not opened")]
    [TestCase("1 /* x */", "a comment")]
    [TestCase("$$x$$", "dollar quoting")]
    public async Task UnsafeExpression_IsRefusedBeforeAnyDdl_NamingTableColumnAndReason(string expression, string reason)
    {
        var name = TestEnvironment.UniqueName("generated_unsafe");
        var table = await SourceTable.CreateAsync(_source, $"CREATE TABLE {name} (id integer PRIMARY KEY, a integer)", name);
        await table.ExecuteAsync($"INSERT INTO {name} VALUES (1, 2), (2, 3)");
        using var events = new ChangeEvents(name);
        await using var pipeline = await ApplyPipeline.CreateAsync(SinkConfigs.For(_destination, name));
        await table.RefreshAsync([new PgGeneratedColumn("g", "integer", expression)]);

        var creating = await pipeline.ApplyStoppingAsync(name, await events.InsertAsync(table, await table.RowAsync("id = 1")));
        Assert.That(await _destination.TableExistsAsync(name), Is.False, "no CREATE TABLE");

        await table.RefreshAsync([]);
        await using var again = await ApplyPipeline.CreateAsync(SinkConfigs.For(_destination, name));
        await again.ApplyAsync(name, await events.InsertAsync(table, await table.RowAsync("id = 1")));
        await table.RefreshAsync([new PgGeneratedColumn("g", "integer", expression)]);
        var adding = await again.ApplyStoppingAsync(name, await events.InsertAsync(table, await table.RowAsync("id = 2")));
        Assert.That(await _destination.ColumnsAsync(name), Is.EqualTo(new[] { "id integer not null", "a integer" }), "no ALTER TABLE");

        foreach (var failure in new[] { creating, adding })
        {
            Assert.That(failure.Exception, Is.InstanceOf<SchemaMismatchException>());
            Assert.That(failure.Describe(), Does.Contain($"\"{_destination.Schema}\".\"{name}\"").And.Contain("generated column \"g\"")
                .And.Contain(expression).And.Contain(reason));
        }
    }

    [Test]
    public async Task ExpressionUsingWhatTheDestinationLacks_IsTheRecordsFailure_NamingTableColumnAndExpression()
    {
        var name = TestEnvironment.UniqueName("generated_missing");
        var table = await SourceTable.CreateAsync(_source, $"""
            CREATE FUNCTION only_at_source(integer) RETURNS integer IMMUTABLE LANGUAGE sql AS 'SELECT $1 + 1';
            CREATE TABLE {name} (id integer PRIMARY KEY, a integer, g integer GENERATED ALWAYS AS (only_at_source(a)) STORED);
            """, name);
        await table.ExecuteAsync($"INSERT INTO {name} (id, a) VALUES (1, 2)");
        using var events = new ChangeEvents(name);
        await using var pipeline = await ApplyPipeline.CreateAsync(SinkConfigs.For(_destination, name));

        var failure = await pipeline.ApplyStoppingAsync(name, await events.InsertAsync(table, await table.RowAsync("id = 1")));

        Assert.That(failure.Exception, Is.InstanceOf<SchemaMismatchException>(), "a record's failure, not retried");
        Assert.That(failure.Describe(), Does.Contain($"\"{_destination.Schema}\".\"{name}\"").And.Contain("\"g\" integer GENERATED ALWAYS AS (only_at_source(a)) STORED")
            .And.Contain("does not exist").And.Contain($"{name}/0/0"));
        Assert.That(await _destination.TableExistsAsync(name), Is.False);
    }

    [Test]
    public async Task EvolutionNone_MissingGeneratedColumn_IsAClearError()
    {
        var name = TestEnvironment.UniqueName("generated_fixed");
        var table = await SourceTable.CreateAsync(_source, $"CREATE TABLE {name} (id integer PRIMARY KEY, g integer GENERATED ALWAYS AS (id * 2) STORED)", name);
        await table.ExecuteAsync($"INSERT INTO {name} (id) VALUES (1)");
        await _destination.ExecuteAsync($"CREATE TABLE {_destination.Schema}.{name} (id integer PRIMARY KEY); GRANT ALL ON {_destination.Schema}.{name} TO {_destination.User}");
        using var events = new ChangeEvents(name);
        await using var pipeline = await ApplyPipeline.CreateAsync(SinkConfigs.For(_destination, name, ("schema.evolution", "none")));

        var failure = await pipeline.ApplyStoppingAsync(name, await events.InsertAsync(table, await table.RowAsync("id = 1")));

        Assert.That(failure.Describe(), Does.Contain("generated column \"g\" (integer GENERATED ALWAYS AS ((id * 2)) STORED) is missing, and schema.evolution=none does not add it"));
    }
}
