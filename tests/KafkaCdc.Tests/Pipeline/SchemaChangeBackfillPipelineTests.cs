using KafkaCdc.Shared.Postgres;
using KafkaCdc.Tests.SinkConnector.Support;
using KafkaCdc.Tests.SourceConnector;

namespace KafkaCdc.Tests.Pipeline;

/// <summary>
/// Issue 13, cases 2 and 3: schema changes that PostgreSQL applies to the rows a table has without logging them row by
/// row (a column added with a non-constant default, a type change with USING, a rename). The source notices the new
/// table version and backfills the table with an incremental snapshot (<c>snapshot.on.schema.change=incremental</c>,
/// the default), so the destination ends equal on the source's columns; also when the change happened while the source
/// was down. With <c>off</c> it only warns, naming the table and the reason.
/// </summary>
public class SchemaChangeBackfillPipelineTests
{
    const string SignalTable = """
        CREATE SCHEMA kafkacdc;
        CREATE TABLE kafkacdc.kafkacdc_signal (id varchar(255) PRIMARY KEY, type varchar(32) NOT NULL, data varchar(2000));
        """;

    const string Backfilling = "backfilling it with incremental snapshot schema-change-public.source_rows-";

    static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(90);

    [Test]
    public async Task AddColumnWithNonConstantDefaults_ExistingRowsRewrittenWithoutWal_BackfilledAndEqual()
    {
        await using var source = await SourceTestDatabase.CreateAsync("bf_default", SignalTable + "CREATE TABLE source_rows (id integer PRIMARY KEY, v text)");
        var destination = await SinkDestination.CreateAsync("bf_default_dst");
        await using var connector = await InProcessConnector.StartStreamingAsync(source.Config());
        var topic = source.Topic("source_rows");
        await source.ExecuteAsync("INSERT INTO source_rows SELECT i, 'row ' || i FROM generate_series(1, 200) i");
        await using var sink = InProcessSink.Start(SinkConfigs.For(destination, topic));
        await UntilEqualAsync(source, destination, topic, "the first rows", connector, sink);

        // PostgreSQL computes these for the 200 rows (a rewrite, or one value kept in the catalog) and logs none of them.
        await source.ExecuteAsync("""
            ALTER TABLE source_rows ADD COLUMN created timestamptz DEFAULT now(),
                ADD COLUMN u uuid DEFAULT gen_random_uuid(),
                ADD COLUMN t text DEFAULT 'a' || 'b';
            """);
        await source.ExecuteAsync("""
            UPDATE source_rows SET v = 'touched' WHERE id <= 5;
            INSERT INTO source_rows (id, v) VALUES (201, 'after the change');
            DELETE FROM source_rows WHERE id = 6;
            """);

        await UntilEqualAsync(source, destination, topic, "ADD COLUMN … DEFAULT now(), gen_random_uuid(), 'a' || 'b'", connector, sink);
        Assert.That(connector.Log, Does.Contain(Backfilling).And.Contain("non-constant default now()").And.Contain("non-constant default gen_random_uuid()"));
        Assert.That(await destination.ScalarAsync($"SELECT count(*) FROM {PgIdentifier.Quote(destination.Schema, topic)} WHERE u IS NOT NULL AND t = 'ab'"),
            Is.EqualTo(200L), "every row, the untouched ones too, has the values PostgreSQL gave it");
    }

    [Test]
    public async Task AlterColumnTypeUsing_EveryValueChangedWithoutWal_BackfilledAndEqual()
    {
        await using var source = await SourceTestDatabase.CreateAsync("bf_type", SignalTable + "CREATE TABLE source_rows (id integer PRIMARY KEY, amount integer, v text)");
        var destination = await SinkDestination.CreateAsync("bf_type_dst");
        await using var connector = await InProcessConnector.StartStreamingAsync(source.Config());
        var topic = source.Topic("source_rows");
        await source.ExecuteAsync("INSERT INTO source_rows SELECT i, i, 'row ' || i FROM generate_series(1, 200) i");
        await using var sink = InProcessSink.Start(SinkConfigs.For(destination, topic));
        await UntilEqualAsync(source, destination, topic, "the first rows", connector, sink);

        await source.ExecuteAsync("ALTER TABLE source_rows ALTER COLUMN amount TYPE bigint USING amount * 100");
        await source.ExecuteAsync("UPDATE source_rows SET v = 'touched' WHERE id <= 5; INSERT INTO source_rows VALUES (201, 3000000000, 'big')");

        await UntilEqualAsync(source, destination, topic, "ALTER COLUMN amount TYPE bigint USING amount * 100", connector, sink);
        Assert.That(connector.Log, Does.Contain(Backfilling).And.Contain("column \"amount\" changed type from integer to bigint"));
    }

    [Test]
    public async Task RenameColumn_OldRowsHoldTheValueUnderTheOldNameOnly_BackfilledAndEqualOnSourceColumns()
    {
        await using var source = await SourceTestDatabase.CreateAsync("bf_rename", SignalTable + "CREATE TABLE source_rows (id integer PRIMARY KEY, v text, n integer)");
        var destination = await SinkDestination.CreateAsync("bf_rename_dst");
        await using var connector = await InProcessConnector.StartStreamingAsync(source.Config());
        var topic = source.Topic("source_rows");
        await source.ExecuteAsync("INSERT INTO source_rows SELECT i, 'row ' || i, i FROM generate_series(1, 200) i");
        await using var sink = InProcessSink.Start(SinkConfigs.For(destination, topic));
        await UntilEqualAsync(source, destination, topic, "the first rows", connector, sink);

        await source.ExecuteAsync("ALTER TABLE source_rows RENAME COLUMN v TO w");
        await source.ExecuteAsync("UPDATE source_rows SET n = -n WHERE id <= 5; INSERT INTO source_rows VALUES (201, 'after the rename', 0)");

        await UntilEqualAsync(source, destination, topic, "RENAME COLUMN v TO w", connector, sink);
        Assert.That(connector.Log, Does.Contain(Backfilling).And.Contain("column \"v\" was renamed to \"w\""));
    }

    [Test]
    public async Task ChangeWhileTheSourceIsDown_ComparedWithTheRegisteredSchema_StillBackfilledAndEqual()
    {
        await using var source = await SourceTestDatabase.CreateAsync("bf_restart", SignalTable + "CREATE TABLE source_rows (id integer PRIMARY KEY, v text)");
        var destination = await SinkDestination.CreateAsync("bf_restart_dst");
        var topic = source.Topic("source_rows");
        await using var sink = InProcessSink.Start(SinkConfigs.For(destination, topic));
        await using (var first = await InProcessConnector.StartStreamingAsync(source.Config()))
        {
            await source.ExecuteAsync("INSERT INTO source_rows SELECT i, 'row ' || i FROM generate_series(1, 200) i");
            await UntilEqualAsync(source, destination, topic, "the first rows", first, sink);
            Assert.That(await first.StopAsync(), Is.EqualTo(0), first.Log);
        }

        // The new session has no earlier version of the table: the registry's latest value schema stands in for it.
        await source.ExecuteAsync("ALTER TABLE source_rows ADD COLUMN created timestamptz DEFAULT now()");
        await using var connector = await InProcessConnector.StartStreamingAsync(source.Config());
        await source.ExecuteAsync("UPDATE source_rows SET v = 'touched' WHERE id = 1");

        await UntilEqualAsync(source, destination, topic, "ADD COLUMN … DEFAULT now() while the source was stopped", connector, sink);
        Assert.That(connector.Log, Does.Contain(Backfilling).And.Contain("non-constant default now()"));
    }

    [Test]
    public async Task ChangeWhileTheTableIsPartlySnapshotted_TheTableStartsAgainWhole_Equal()
    {
        await using var source = await SourceTestDatabase.CreateAsync("bf_running", SignalTable + "CREATE TABLE source_rows (id integer PRIMARY KEY, v text)");
        var destination = await SinkDestination.CreateAsync("bf_running_dst");
        await using var connector = await InProcessConnector.StartStreamingAsync(source.Config());
        var topic = source.Topic("source_rows");
        await source.ExecuteAsync("INSERT INTO source_rows SELECT i, 'row ' || i FROM generate_series(1, 300) i");
        await using var sink = InProcessSink.Start(SinkConfigs.For(destination, topic));
        await UntilEqualAsync(source, destination, topic, "the first rows", connector, sink);

        // A user's snapshot of part of the table, paused: the backfill must not settle for it, but read the whole table.
        await source.ExecuteAsync("""
            INSERT INTO kafkacdc.kafkacdc_signal VALUES
                ('user-1', 'execute-snapshot', '{"data-collections": ["public.source_rows"], "additional-conditions": [{"data-collection": "public.source_rows", "filter": "id <= 10"}]}'),
                ('user-1-pause', 'pause-snapshot', NULL);
            """);
        await Poll.UntilAsync(() => connector.Status.Snapshots.State == "paused", s_timeout, "the user's snapshot to be paused");
        await source.ExecuteAsync("ALTER TABLE source_rows ADD COLUMN u uuid DEFAULT gen_random_uuid()");
        await source.ExecuteAsync("UPDATE source_rows SET v = 'touched' WHERE id = 300");
        await Poll.UntilAsync(() => connector.Log.Contains("public.source_rows starts again from its first row", StringComparison.Ordinal), s_timeout,
            "the backfill to restart the table in the user's snapshot");
        await source.ExecuteAsync("INSERT INTO kafkacdc.kafkacdc_signal VALUES ('user-1-resume', 'resume-snapshot', NULL)");

        await UntilEqualAsync(source, destination, topic, "ADD COLUMN … DEFAULT gen_random_uuid() during a partial snapshot", connector, sink);
    }

    [Test]
    public async Task SnapshotOnSchemaChangeOff_NoBackfill_WarningNamesTableReasonAndTheSignal()
    {
        await using var source = await SourceTestDatabase.CreateAsync("bf_off", SignalTable + "CREATE TABLE source_rows (id integer PRIMARY KEY, v text)");
        var destination = await SinkDestination.CreateAsync("bf_off_dst");
        var config = source.Config();
        config["snapshot.on.schema.change"] = "off";
        await using var connector = await InProcessConnector.StartStreamingAsync(config);
        var topic = source.Topic("source_rows");
        await source.ExecuteAsync("INSERT INTO source_rows SELECT i, 'row ' || i FROM generate_series(1, 20) i");
        await using var sink = InProcessSink.Start(SinkConfigs.For(destination, topic));
        await UntilEqualAsync(source, destination, topic, "the first rows", connector, sink);

        await source.ExecuteAsync("ALTER TABLE source_rows ADD COLUMN created timestamptz DEFAULT now()");
        await source.ExecuteAsync("UPDATE source_rows SET v = 'touched' WHERE id = 1");
        var table = PgIdentifier.Quote(destination.Schema, topic);
        await Poll.UntilAsync(async () => await destination.TableExistsAsync(topic)
                && (long)(await destination.ScalarAsync($"SELECT count(*) FROM {table} WHERE v = 'touched'"))! == 1,
            s_timeout, "the update after the change at the destination");

        var warnings = connector.LogLines.Where(l => l.Contains("applied to its existing rows without logging them", StringComparison.Ordinal)).ToList();
        Assert.That(warnings, Has.Count.EqualTo(1), connector.Log);
        var warning = warnings[0];
        Assert.That(warning, Does.Contain(" Warning [3111] "), "a warning");
        Assert.That(warning, Does.Contain("public.source_rows").And.Contain("non-constant default now()").And.Contain("snapshot.on.schema.change=off")
            .And.Contain("may differ").And.Contain("execute-snapshot")
            .And.Contain("\\\"public\\\".\\\"source_rows\\\""), connector.Log);
        Assert.That(connector.LogLines.Where(l => l.Contains("Incremental snapshot", StringComparison.Ordinal) || l.Contains("schema-change-", StringComparison.Ordinal)),
            Is.Empty, "no snapshot was taken");
        Assert.That(await destination.ScalarAsync($"SELECT count(*) FROM {table} WHERE created IS NULL"), Is.EqualTo(19L),
            "the rows not changed since read NULL at the destination, as the warning says they may");
    }

    [Test]
    public async Task AddIdentityColumn_ExistingRowsNumberedWithoutWal_BackfilledAndEqual()
    {
        await using var source = await SourceTestDatabase.CreateAsync("bf_identity", SignalTable + "CREATE TABLE source_rows (id integer PRIMARY KEY, v text)");
        var destination = await SinkDestination.CreateAsync("bf_identity_dst");
        await using var connector = await InProcessConnector.StartStreamingAsync(source.Config());
        var topic = source.Topic("source_rows");
        await source.ExecuteAsync("INSERT INTO source_rows SELECT i, 'row ' || i FROM generate_series(1, 100) i");
        await using var sink = InProcessSink.Start(SinkConfigs.For(destination, topic));
        await UntilEqualAsync(source, destination, topic, "the first rows", connector, sink);

        // An identity column has no default expression, yet PostgreSQL numbers every existing row in a rewrite it does not log.
        await source.ExecuteAsync("ALTER TABLE source_rows ADD COLUMN n bigint GENERATED ALWAYS AS IDENTITY");
        await source.ExecuteAsync("UPDATE source_rows SET v = 'touched' WHERE id <= 5; INSERT INTO source_rows (id, v) VALUES (101, 'after')");

        await UntilEqualAsync(source, destination, topic, "ADD COLUMN … GENERATED ALWAYS AS IDENTITY", connector, sink);
        Assert.That(connector.Log, Does.Contain(Backfilling).And.Contain("non-constant default GENERATED ALWAYS AS IDENTITY"));
    }

    [Test]
    public async Task TableRenamedWhileStreaming_ItsNewTopicGetsEveryRow_ByABackfill()
    {
        await using var source = await SourceTestDatabase.CreateAsync("bf_table_rename", SignalTable + "CREATE TABLE before_rename (id integer PRIMARY KEY, v text)");
        var destination = await SinkDestination.CreateAsync("bf_table_rename_dst");
        await using var connector = await InProcessConnector.StartStreamingAsync(source.Config());
        await source.ExecuteAsync("INSERT INTO before_rename SELECT i, 'row ' || i FROM generate_series(1, 150) i");
        // The regex subscription looks for new topics every 500 ms, not the sink's 5 s (SinkWorkerTests covers that default).
        await using var sink = InProcessSink.Start(SinkConfigs.For(destination, "", ("topics", null!), ("topics.regex", $"{source.Name}_.*"),
            ("kafka.topic.metadata.refresh.interval.ms", "500")));
        await PipelineCompare.UntilEqualAsync(source, "before_rename", destination, source.Topic("before_rename"), "the first rows", connector, sink, s_timeout);

        // The relation keeps its id; its changes now go to the new name's topic, which would hold only the rows changed
        // after the rename without the backfill.
        await source.ExecuteAsync("ALTER TABLE before_rename RENAME TO after_rename");
        await source.ExecuteAsync("UPDATE after_rename SET v = 'touched' WHERE id <= 5; INSERT INTO after_rename VALUES (151, 'after')");

        await PipelineCompare.UntilEqualAsync(source, "after_rename", destination, source.Topic("after_rename"), "RENAME TO", connector, sink, s_timeout);
        Assert.That(connector.Log, Does.Contain("schema-change-public.after_rename-").And.Contain("renamed from \"public\".\"before_rename\""));
    }

    static Task UntilEqualAsync(SourceTestDatabase source, SinkDestination destination, string table, string what,
        InProcessConnector connector, InProcessSink sink) =>
        PipelineCompare.UntilEqualAsync(source, "source_rows", destination, table, what, connector, sink, s_timeout);
}
