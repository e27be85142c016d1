using KafkaCdc.Shared.Postgres;
using KafkaCdc.Tests.SinkConnector.Support;
using KafkaCdc.Tests.SourceConnector;

namespace KafkaCdc.Tests.Pipeline;

/// <summary>
/// Issue 13, case 6: stored generated columns, whose values pgoutput (PostgreSQL 15) does not send. The source describes
/// them in the schema (<c>kafkacdc.generated</c>), the sink creates them with the same expression, so the destination
/// computes the same values: equal on every source column, generated ones included, before and after they are added.
/// </summary>
public class GeneratedColumnPipelineTests
{
    static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(90);

    [Test]
    public async Task GeneratedColumns_CreatedAndAddedWithTheirExpressions_DestinationEqualsSource()
    {
        await using var source = await SourceTestDatabase.CreateAsync("pipeline_generated", """
            CREATE TABLE source_rows (
                id integer PRIMARY KEY, name text, price numeric(10,2), qty integer,
                total numeric GENERATED ALWAYS AS (price * qty) STORED,
                name_lower text GENERATED ALWAYS AS (lower(name)) STORED)
            """);
        var destination = await SinkDestination.CreateAsync("pipeline_generated_dst");
        await using var connector = await InProcessConnector.StartStreamingAsync(source.Config());
        var topic = source.Topic("source_rows");
        await source.ExecuteAsync("INSERT INTO source_rows (id, name, price, qty) SELECT i, 'Row ' || i, i * 1.25, i % 7 FROM generate_series(1, 100) i");
        await using var sink = InProcessSink.Start(SinkConfigs.For(destination, topic));
        await UntilEqualAsync(source, destination, topic, "inserts into a table with generated columns", connector, sink);
        Assert.That(await GeneratedColumnsAsync(destination, topic), Is.EqualTo(new[]
        {
            "total numeric GENERATED ALWAYS AS ((price * (qty)::numeric)) STORED",
            "name_lower text GENERATED ALWAYS AS (lower(name)) STORED",
        }));

        await source.ExecuteAsync("""
            UPDATE source_rows SET qty = qty + 10, name = upper(name) WHERE id <= 20;
            UPDATE source_rows SET price = NULL WHERE id = 21;
            DELETE FROM source_rows WHERE id BETWEEN 90 AND 95;
            """);
        await UntilEqualAsync(source, destination, topic, "updates and deletes", connector, sink);

        // PostgreSQL computes the new columns for every existing row without sending them: the destination must too. A
        // regular column added with them is created first, since one of them reads it.
        await source.ExecuteAsync("""
            ALTER TABLE source_rows ADD COLUMN doubled integer GENERATED ALWAYS AS (qty * 2) STORED,
                ADD COLUMN bonus integer DEFAULT 5,
                ADD COLUMN tagged text GENERATED ALWAYS AS (name || ' x') STORED,
                ADD COLUMN "Sum; Weird" integer GENERATED ALWAYS AS (bonus + qty) STORED;
            UPDATE source_rows SET qty = 1, bonus = 7 WHERE id BETWEEN 30 AND 35;
            INSERT INTO source_rows (id, name, price, qty) VALUES (1001, 'After The Change', 2.50, 4);
            DELETE FROM source_rows WHERE id = 50;
            """);
        await UntilEqualAsync(source, destination, topic, "ADD COLUMN … GENERATED ALWAYS AS … STORED mid-stream", connector, sink);
        Assert.That(await GeneratedColumnsAsync(destination, topic), Has.Count.EqualTo(5));

        // Dropping one at the source leaves the destination's alone; changes go on.
        await source.ExecuteAsync("ALTER TABLE source_rows DROP COLUMN tagged; UPDATE source_rows SET qty = 3 WHERE id = 1");
        await UntilEqualAsync(source, destination, topic, "DROP COLUMN of a generated column", connector, sink);
    }

    [Test]
    public async Task InitialSnapshot_OfATableWithGeneratedColumns_DestinationEqualsSource()
    {
        await using var source = await SourceTestDatabase.CreateAsync("snapshot_generated", """
            CREATE TABLE source_rows (id integer PRIMARY KEY, a integer, b text,
                twice integer GENERATED ALWAYS AS (a * 2) STORED, shout text GENERATED ALWAYS AS (upper(b) || '!') STORED);
            INSERT INTO source_rows (id, a, b) SELECT i, i, 'b' || i FROM generate_series(1, 500) i;
            """);
        var destination = await SinkDestination.CreateAsync("snapshot_generated_dst");
        var config = source.Config();
        config["snapshot.mode"] = "initial";
        await using var connector = await InProcessConnector.StartStreamingAsync(config);
        var topic = source.Topic("source_rows");
        await using var sink = InProcessSink.Start(SinkConfigs.For(destination, topic));
        await source.ExecuteAsync("UPDATE source_rows SET a = -a WHERE id <= 10");
        await UntilEqualAsync(source, destination, topic, "the initial snapshot and an update", connector, sink);
        Assert.That(await GeneratedColumnsAsync(destination, topic), Has.Count.EqualTo(2));
    }

    /// <summary>The destination's generated columns as <c>name type GENERATED ALWAYS AS (expression) STORED</c>, in order.</summary>
    static async Task<List<string>> GeneratedColumnsAsync(SinkDestination destination, string table)
    {
        var columns = new List<string>();
        var text = (string?)await destination.ScalarAsync($"""
            SELECT string_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod) || ' GENERATED ALWAYS AS (' || pg_get_expr(d.adbin, d.adrelid) || ') STORED', E'\n' ORDER BY a.attnum)
            FROM pg_attribute a JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
            WHERE a.attrelid = '{PgIdentifier.Quote(destination.Schema, table).Replace("'", "''", StringComparison.Ordinal)}'::regclass AND a.attgenerated = 's'
            """);
        if (text is not null) columns.AddRange(text.Split('\n'));
        return columns;
    }

    static Task UntilEqualAsync(SourceTestDatabase source, SinkDestination destination, string table, string what,
        InProcessConnector connector, InProcessSink sink) =>
        PipelineCompare.UntilEqualAsync(source, "source_rows", destination, table, what, connector, sink, s_timeout);
}
