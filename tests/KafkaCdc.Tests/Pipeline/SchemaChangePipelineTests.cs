using KafkaCdc.Tests.SinkConnector.Support;
using KafkaCdc.Tests.SourceConnector;

namespace KafkaCdc.Tests.Pipeline;

/// <summary>
/// Schema changes at the source that need no backfill, through the whole pipeline (source, dev stack, sink): the
/// destination ends equal to the source on the source's columns (<see cref="PipelineCompare"/>) after each.
/// </summary>
public class SchemaChangePipelineTests
{
    [Test]
    public async Task DroppedColumns_StayAtTheDestination_AndRowsWrittenAfterwardsLeaveThemNull()
    {
        await using var source = await SourceTestDatabase.CreateAsync("ddl_drop",
            "CREATE TABLE items (id integer PRIMARY KEY, keep text, gone text, strict text NOT NULL)");
        var destination = await SinkDestination.CreateAsync("ddl_drop_dst");
        await using var connector = await InProcessConnector.StartStreamingAsync(source.Config());
        var topic = source.Topic("items");
        await source.ExecuteAsync("INSERT INTO items SELECT i, 'k' || i, 'g' || i, 's' || i FROM generate_series(1, 50) i");
        await using var sink = InProcessSink.Start(SinkConfigs.For(destination, topic));
        await PipelineCompare.UntilEqualAsync(source, "items", destination, topic, "the first rows", connector, sink);

        await source.ExecuteAsync("""
            ALTER TABLE items DROP COLUMN gone, DROP COLUMN strict;
            INSERT INTO items VALUES (51, 'after the drop');
            UPDATE items SET keep = 'updated' WHERE id <= 5;
            DELETE FROM items WHERE id = 50;
            """);
        await PipelineCompare.UntilEqualAsync(source, "items", destination, topic, "DROP COLUMN (one of them NOT NULL)", connector, sink);

        Assert.That(await destination.ColumnsAsync(topic), Is.EqualTo(new[] { "id integer not null", "keep text", "gone text", "strict text" }),
            "the sink never drops a column; the NOT NULL one is nullable now");
        Assert.That(await destination.ScalarAsync($"SELECT strict IS NULL AND gone IS NULL FROM \"{destination.Schema}\".\"{topic}\" WHERE id = 51"), Is.True);
        Assert.That(await destination.ScalarAsync($"SELECT gone FROM \"{destination.Schema}\".\"{topic}\" WHERE id = 6"), Is.EqualTo("g6"),
            "rows not written since keep the values they had");
    }

    [Test]
    public async Task NewTable_InAForAllTablesPublication_GetsItsTopicAndIsCreatedAtTheDestination() =>
        await NewTableIsReplicatedAsync("ddl_new_all", "CREATE SCHEMA sales", "all_tables", "sales");

    [Test]
    public async Task NewTable_InAForTablesInSchemaPublication_GetsItsTopicAndIsCreatedAtTheDestination() =>
        await NewTableIsReplicatedAsync("ddl_new_schema", "CREATE SCHEMA sales; CREATE PUBLICATION \"{0}\" FOR TABLES IN SCHEMA sales", "disabled", "sales");

    static async Task NewTableIsReplicatedAsync(string prefix, string setup, string autocreateMode, string schema)
    {
        await using var source = await SourceTestDatabase.CreateAsync(prefix);
        await source.ExecuteAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, setup, source.PublicationName));
        await source.ExecuteAsync($"CREATE TABLE {schema}.existing (id integer PRIMARY KEY, v text); INSERT INTO {schema}.existing VALUES (1, 'before')");
        var destination = await SinkDestination.CreateAsync(prefix + "_dst");
        var config = source.Config();
        config["publication.autocreate.mode"] = autocreateMode;
        await using var connector = await InProcessConnector.StartStreamingAsync(config);
        // The regex subscription looks for new topics every 500 ms, not the sink's 5 s (SinkWorkerTests covers that default).
        await using var sink = InProcessSink.Start(SinkConfigs.For(destination, "", ("topics", null!), ("topics.regex", $"{source.Name}_.*"),
            ("kafka.topic.metadata.refresh.interval.ms", "500")));
        await PipelineCompare.UntilEqualAsync(source, $"{schema}.existing", destination, source.Topic("existing"), "the table that existed", connector, sink);

        // Created while the connector streams: the publication covers it at once; its first change brings a Relation
        // message, the source registers a schema and creates the topic, the sink's regex subscription finds the topic.
        await source.ExecuteAsync($"""
            CREATE TABLE {schema}.created_later (id integer PRIMARY KEY, name text NOT NULL, amount numeric(10,2), at timestamptz DEFAULT '2024-01-01 00:00:00+00');
            INSERT INTO {schema}.created_later (id, name, amount) SELECT i, 'n' || i, i * 1.5 FROM generate_series(1, 100) i;
            UPDATE {schema}.created_later SET name = 'changed' WHERE id <= 10;
            DELETE FROM {schema}.created_later WHERE id > 95;
            INSERT INTO {schema}.existing VALUES (2, 'after');
            """);
        var topic = source.Topic("created_later");
        await PipelineCompare.UntilEqualAsync(source, $"{schema}.created_later", destination, topic, "a table created mid-stream", connector, sink);
        await PipelineCompare.UntilEqualAsync(source, $"{schema}.existing", destination, source.Topic("existing"), "the other table's change", connector, sink);
    }

    [Test]
    public async Task DdlAndDmlInterleavedInTransactions_TwoTasksOverFourPartitions_EveryColumnExistsBeforeItsRows()
    {
        await using var source = await SourceTestDatabase.CreateAsync("ddl_mixed",
            "CREATE TABLE orders (id integer PRIMARY KEY, v text); INSERT INTO orders SELECT i, 'v' || i FROM generate_series(1, 200) i");
        var topic = source.Topic("orders");
        await TestEnvironment.CreateTopicAsync(topic, 4);
        var destination = await SinkDestination.CreateAsync("ddl_mixed_dst");
        await using var connector = await InProcessConnector.StartStreamingAsync(source.Config());
        await using var sink = InProcessSink.Start(SinkConfigs.For(destination, topic, ("tasks.max", "2"), ("batch.size", "50")));
        await source.ExecuteAsync("UPDATE orders SET v = v || '!'");
        await PipelineCompare.UntilEqualAsync(source, "orders", destination, topic, "the first rows", connector, sink);

        // Each transaction writes rows before and after its DDL; the records of one transaction spread over four
        // partitions, read by two tasks that each meet the new columns on their own.
        await source.ExecuteAsync("""
            BEGIN;
            INSERT INTO orders SELECT i, 'before ' || i FROM generate_series(201, 260) i;
            ALTER TABLE orders ADD COLUMN qty integer;
            INSERT INTO orders SELECT i, 'after ' || i, i FROM generate_series(261, 320) i;
            UPDATE orders SET qty = id WHERE id <= 100;
            ALTER TABLE orders ADD COLUMN note text DEFAULT 'n/a', ADD COLUMN price numeric(6,2);
            INSERT INTO orders SELECT i, 'later ' || i, i, 'note ' || i, i / 10.0 FROM generate_series(321, 380) i;
            UPDATE orders SET price = 1.25 WHERE id BETWEEN 101 AND 150;
            COMMIT;
            BEGIN;
            ALTER TABLE orders ALTER COLUMN qty TYPE bigint;
            UPDATE orders SET qty = 5000000000 + id WHERE id BETWEEN 151 AND 200;
            ALTER TABLE orders ADD COLUMN flag boolean;
            INSERT INTO orders SELECT i, 'last ' || i, i, 'x', 0, true FROM generate_series(381, 440) i;
            DELETE FROM orders WHERE id BETWEEN 1 AND 20;
            COMMIT;
            """);
        await PipelineCompare.UntilEqualAsync(source, "orders", destination, topic, "DDL and DML interleaved in two transactions", connector, sink);
        Assert.That(sink.Exit.IsCompleted, Is.False, "no task failed on a column another task was adding");
    }
}
