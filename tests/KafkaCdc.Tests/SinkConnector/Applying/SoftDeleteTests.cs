using KafkaCdc.Shared.Postgres;
using KafkaCdc.Tests.SinkConnector.Support;
using Npgsql;

namespace KafkaCdc.Tests.SinkConnector.Applying;

/// <summary>
/// <c>delete.mode=soft</c>: deletes and truncates keep the rows, marked with <c>__deleted</c> and the source's commit
/// time in <c>__deleted_at</c>; an insert of the key un-marks it; a replay ends in the same state.
/// </summary>
public class SoftDeleteTests
{
    static readonly DateTimeOffset s_t1 = new DateTimeOffset(2024, 5, 1, 10, 0, 0, TimeSpan.Zero).AddTicks(1_234_560);
    static readonly DateTimeOffset s_t2 = new(2024, 5, 2, 11, 30, 0, TimeSpan.Zero);
    static readonly DateTimeOffset s_t3 = new DateTimeOffset(2024, 5, 3, 12, 0, 0, TimeSpan.Zero).AddTicks(10);
    static readonly DateTimeOffset s_t4 = new(2024, 5, 4, 13, 0, 0, TimeSpan.Zero);

    string _source = "";
    SinkDestination _destination = null!;

    [OneTimeSetUp]
    public async Task CreateDatabasesAsync()
    {
        _source = await SourceTable.CreateDatabaseAsync("softdel_src");
        _destination = await SinkDestination.CreateAsync("softdel_dst");
    }

    static (string Key, string Value) Soft => ("delete.mode", "soft");

    static string At(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.ffffff", System.Globalization.CultureInfo.InvariantCulture);

    static ChangeMessage On(ChangeMessage message, int partition) => message with { Partition = partition };

    async Task<(SourceTable Table, ChangeEvents Events, List<Avro.Generic.GenericRecord> Rows)> TableAsync(string name, int rows = 4)
    {
        var table = await SourceTable.CreateAsync(_source, $"CREATE TABLE {name} (id integer PRIMARY KEY, v text)", name);
        await table.ExecuteAsync($"INSERT INTO {name} SELECT i, 'v' || i FROM generate_series(1, {rows}) i");
        return (table, new ChangeEvents(name), await table.RowsAsync());
    }

    /// <summary>Every row as <c>id v flag [time]</c> (the time in UTC, to the microsecond; absent when NULL), sorted.</summary>
    async Task<List<string>> StateAsync(string table, string flag = "__deleted", string time = "__deleted_at")
    {
        await using var connection = new NpgsqlConnection(_destination.AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            $"SELECT concat_ws(' ', id, v, {PgIdentifier.Quote(flag)}, to_char({PgIdentifier.Quote(time)} AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')) " +
            $"FROM {PgIdentifier.Quote(_destination.Schema, table)}", connection);
        var rows = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) rows.Add(reader.GetString(0));
        rows.Sort(StringComparer.Ordinal);
        return rows;
    }

    [Test]
    public async Task Delete_KeepsTheRowMarkedWithTheSourceCommitTime_AndItsTombstoneIsSkipped()
    {
        var name = TestEnvironment.UniqueName("marked");
        var (table, events, rows) = await TableAsync(name, rows: 3);
        using var _ = events;
        await using var pipeline = await ApplyPipeline.CreateAsync(SinkConfigs.For(_destination, name, Soft));
        var inserts = await events.InsertsOfEveryRowAsync(table);
        events.CommitTime = s_t1;

        await pipeline.ApplyAsync(name, [.. inserts, await events.DeleteAsync(table, table.KeyOnly(rows[1])), await events.TombstoneAsync(table, table.KeyOnly(rows[1]))]);

        Assert.That(await StateAsync(name), Is.EqualTo(new[] { "1 v1 f", $"2 v2 t {At(s_t1)}", "3 v3 f" }));
        Assert.That(await _destination.ColumnsAsync(name), Is.EqualTo(new[] { "id integer not null", "v text", "__deleted boolean not null", "__deleted_at timestamp with time zone" }));
        Assert.That(pipeline.Metrics.Rows(name, "soft_delete"), Is.EqualTo(1));
        Assert.That(pipeline.Metrics.Rows(name, "delete"), Is.EqualTo(0));
        Assert.That(pipeline.Metrics.Skipped("tombstone_soft_delete"), Is.EqualTo(1));
    }

    [Test]
    public async Task ReinsertedKey_IsUnmarkedWithItsNewValues_AndAKeyInsertedAndDeletedInOneBatchIsKeptMarked()
    {
        var name = TestEnvironment.UniqueName("unmarked");
        var (table, events, rows) = await TableAsync(name);
        using var _ = events;
        await using var pipeline = await ApplyPipeline.CreateAsync(SinkConfigs.For(_destination, name, Soft));
        await pipeline.ApplyAsync(name, await events.InsertAsync(table, rows[0]), await events.InsertAsync(table, rows[1]));
        events.CommitTime = s_t1;
        await pipeline.ApplyAsync(name, await events.DeleteAsync(table, table.KeyOnly(rows[0])));
        Assert.That(await StateAsync(name), Is.EqualTo(new[] { $"1 v1 t {At(s_t1)}", "2 v2 f" }));

        // One batch: key 1 comes back; key 3 is inserted and deleted; key 4 is deleted, inserted, and deleted again.
        events.CommitTime = s_t2;
        await pipeline.ApplyAsync(name, await events.InsertAsync(table, SourceTable.With(rows[0], "v", "again")),
            await events.InsertAsync(table, rows[2]), await events.DeleteAsync(table, table.KeyOnly(rows[2])),
            await events.InsertAsync(table, rows[3]), await events.DeleteAsync(table, table.KeyOnly(rows[3])),
            await events.InsertAsync(table, SourceTable.With(rows[3], "v", "back")));
        events.CommitTime = s_t3;
        await pipeline.ApplyAsync(name, await events.DeleteAsync(table, table.KeyOnly(rows[3])), await events.UpdateAsync(table, null, SourceTable.With(rows[1], "v", "changed")));

        Assert.That(await StateAsync(name), Is.EqualTo(new[] { "1 again f", "2 changed f", $"3 v3 t {At(s_t2)}", $"4 back t {At(s_t3)}" }));
    }

    [Test]
    public async Task Truncate_MarksEveryRowNotYetMarked_AndOlderRecordsArrivingLaterAreSkipped()
    {
        var name = TestEnvironment.UniqueName("truncated");
        var (table, events, rows) = await TableAsync(name);
        using var _ = events;
        await using var pipeline = await ApplyPipeline.CreateAsync(SinkConfigs.For(_destination, name, Soft));
        events.CommitTime = s_t1;
        var first = new[] { On(await events.InsertAsync(table, rows[0], 100), 0), On(await events.InsertAsync(table, rows[1], 110), 0),
            On(await events.InsertAsync(table, rows[2], 120), 0), On(await events.DeleteAsync(table, table.KeyOnly(rows[0]), 130), 0) };
        events.CommitTime = s_t2;
        var truncate = await events.TruncateAsync(table, lsn: 5000, partitions: 2);
        events.CommitTime = s_t3;
        var after = On(await events.InsertAsync(table, SourceTable.With(rows[1], "v", "after"), 5100), 0);
        var late = On(await events.InsertAsync(table, rows[3], 4000), 1);

        await pipeline.ApplyAsync(name, [.. first, truncate[0], after]);
        // Partition 1 arrives late: a row committed before the TRUNCATE (must not come back), then its copy of the truncate.
        await pipeline.ApplyAsync(name, late, truncate[1]);

        Assert.That(await StateAsync(name), Is.EqualTo(new[] { $"1 v1 t {At(s_t1)}", "2 after f", $"3 v3 t {At(s_t2)}" }),
            "row 1 keeps its own deletion time; row 2 came back after the truncate; row 4 is older than the truncate");
        Assert.That(pipeline.Metrics.Skipped("before_truncate"), Is.EqualTo(1));
        Assert.That(pipeline.Metrics.Skipped("truncate_already_applied"), Is.EqualTo(1));
        Assert.That(pipeline.Metrics.Rows(name, "truncate"), Is.EqualTo(1));
        Assert.That(pipeline.Metrics.Rows(name, "soft_delete"), Is.EqualTo(3), "one delete, two rows marked by the truncate");
    }

    [Test]
    public async Task Truncate_OfATableWrittenBeforeSoftDeletes_AddsTheColumnsAndMarksItsRows()
    {
        var name = TestEnvironment.UniqueName("latecomer");
        var (table, events, _) = await TableAsync(name, rows: 3);
        using var __ = events;
        await using (var hard = await ApplyPipeline.CreateAsync(SinkConfigs.For(_destination, name))) await hard.ApplyAsync(name, await events.InsertsOfEveryRowAsync(table));
        Assert.That(await _destination.ColumnsAsync(name), Has.Count.EqualTo(2));

        await using var pipeline = await ApplyPipeline.CreateAsync(SinkConfigs.For(_destination, name, Soft));
        events.CommitTime = s_t4;
        await pipeline.ApplyAsync(name, (await events.TruncateAsync(table, lsn: 9000, partitions: 1))[0]);

        Assert.That(await StateAsync(name), Is.EqualTo(new[] { $"1 v1 t {At(s_t4)}", $"2 v2 t {At(s_t4)}", $"3 v3 t {At(s_t4)}" }));
    }

    [Test]
    public async Task ReplayOfTheWholeTopic_InOtherBatches_EndsInTheSameState()
    {
        var name = TestEnvironment.UniqueName("replayed");
        var (table, events, rows) = await TableAsync(name, rows: 9);
        using var _ = events;
        var messages = new List<ChangeMessage>(await events.InsertsOfEveryRowAsync(table));
        messages.Add(await events.UpdateAsync(table, null, SourceTable.With(rows[1], "v", "changed")));
        events.CommitTime = s_t1;
        messages.Add(await events.DeleteAsync(table, table.KeyOnly(rows[2])));
        messages.Add(await events.TombstoneAsync(table, table.KeyOnly(rows[2])));
        messages.Add(await events.InsertAsync(table, SourceTable.With(rows[2], "v", "again")));
        events.CommitTime = s_t2;
        messages.Add(await events.DeleteAsync(table, table.KeyOnly(rows[3])));
        messages.Add(await events.DeleteAsync(table, table.KeyOnly(rows[7])));
        events.CommitTime = s_t3;
        messages.Add((await events.TruncateAsync(table, events.NextLsn, 1))[0]);
        events.CommitTime = s_t4;
        messages.Add(await events.InsertAsync(table, SourceTable.With(rows[0], "v", "post")));
        messages.Add(await events.InsertAsync(table, SourceTable.With(rows[7], "v", "new")));
        messages.Add(await events.DeleteAsync(table, table.KeyOnly(rows[7])));
        string[] expected =
        [
            "1 post f", $"2 changed t {At(s_t3)}", $"3 again t {At(s_t3)}", $"4 v4 t {At(s_t2)}", $"5 v5 t {At(s_t3)}",
            $"6 v6 t {At(s_t3)}", $"7 v7 t {At(s_t3)}", $"8 new t {At(s_t4)}", $"9 v9 t {At(s_t3)}",
        ];

        await using (var pipeline = await ApplyPipeline.CreateAsync(SinkConfigs.For(_destination, name, Soft, ("batch.size", "2")))) await pipeline.ApplyAsync(name, messages);
        Assert.That(await StateAsync(name), Is.EqualTo(expected));

        // The whole topic again, in a new group (nothing fenced), onto the same table.
        await using (var replay = await ApplyPipeline.CreateAsync(SinkConfigs.For(_destination, name, Soft, ("batch.size", "3")))) await replay.ApplyAsync(name, messages);
        Assert.That(await StateAsync(name), Is.EqualTo(expected), "replayed onto the same table");

        // And onto a new table, in batches as large as the topic: a key inserted and deleted in one batch is kept too.
        await _destination.ExecuteAsync($"DROP TABLE {_destination.Schema}.{name}; DELETE FROM {_destination.Schema}.kafkacdc_sink_truncates WHERE table_name = '{name}'");
        await using (var fresh = await ApplyPipeline.CreateAsync(SinkConfigs.For(_destination, name, Soft, ("batch.size", "1000")))) await fresh.ApplyAsync(name, messages);
        Assert.That(await StateAsync(name), Is.EqualTo(expected), "replayed onto a new table in large batches");
    }

    [Test]
    public async Task KeylessTable_ADeleteMarksOneEqualRow_AndAnUpdateReplacesAnUnmarkedOne_UnderConfiguredNames()
    {
        var name = TestEnvironment.UniqueName("keyless");
        var table = await SourceTable.CreateAsync(_source, $"CREATE TABLE {name} (id integer, v text); ALTER TABLE {name} REPLICA IDENTITY FULL", name);
        await table.ExecuteAsync($"INSERT INTO {name} VALUES (1, 'a'), (1, 'a'), (2, 'b')");
        using var events = new ChangeEvents(name);
        var rows = await table.RowsAsync(orderBy: "id, v");
        await using var pipeline = await ApplyPipeline.CreateAsync(SinkConfigs.For(_destination, name, Soft,
            ("delete.soft.column", "is gone"), ("delete.soft.timestamp.column", "gone_at")));
        var inserts = await events.InsertsOfEveryRowAsync(table);
        events.CommitTime = s_t1;
        var delete = await events.DeleteAsync(table, rows[0]);
        var update = await events.UpdateAsync(table, rows[2], SourceTable.With(rows[2], "v", "c"));

        await pipeline.ApplyAsync(name, [.. inserts, delete, update]);
        Assert.That(await StateAsync(name, "is gone", "gone_at"), Is.EqualTo(new[] { "1 a f", $"1 a t {At(s_t1)}", "2 c f" }),
            "one of the two equal rows is marked; the update's old row is replaced, not marked");

        events.CommitTime = s_t2;
        await pipeline.ApplyAsync(name, await events.DeleteAsync(table, rows[1]), await events.UpdateAsync(table, SourceTable.With(rows[2], "v", "c"), rows[2]));
        Assert.That(await StateAsync(name, "is gone", "gone_at"), Is.EqualTo(new[] { $"1 a t {At(s_t1)}", $"1 a t {At(s_t2)}", "2 b f" }));
    }

    [Test]
    public async Task InsertMode_ADeleteMarksTheRow_AndInsertingTheKeyAgainIsADuplicateKey()
    {
        var name = TestEnvironment.UniqueName("appended");
        var (table, events, rows) = await TableAsync(name, rows: 2);
        using var _ = events;
        await using var pipeline = await ApplyPipeline.CreateAsync(SinkConfigs.For(_destination, name, Soft, ("insert.mode", "insert")));
        var inserts = await events.InsertsOfEveryRowAsync(table);
        events.CommitTime = s_t1;

        await pipeline.ApplyAsync(name, [.. inserts, await events.DeleteAsync(table, table.KeyOnly(rows[1]))]);
        Assert.That(await StateAsync(name), Is.EqualTo(new[] { "1 v1 f", $"2 v2 t {At(s_t1)}" }));

        // Insert mode is for append-only tables: the marked row keeps its key, as an update's would.
        var failure = await pipeline.ApplyStoppingAsync(name, await events.InsertAsync(table, rows[1]));
        Assert.That(failure.Describe(), Does.Contain("duplicate key"));
        Assert.That(await StateAsync(name), Is.EqualTo(new[] { "1 v1 f", $"2 v2 t {At(s_t1)}" }));
    }

    [Test]
    public async Task RecordByRecord_ABadRecordBesideASoftDelete_IsSetAside_AndTheDeleteMarks()
    {
        var name = TestEnvironment.UniqueName("isolated");
        var table = await SourceTable.CreateAsync(_source, $"CREATE TABLE {name} (id integer PRIMARY KEY, v text)", name);
        await table.ExecuteAsync($"INSERT INTO {name} VALUES (1, 'good'), (2, 'bad'), (3, 'fine')");
        using var events = new ChangeEvents(name);
        var rows = await table.RowsAsync();
        await _destination.ExecuteAsync($"CREATE TABLE {_destination.Schema}.{name} (id integer PRIMARY KEY, v text CHECK (v <> 'bad')); ALTER TABLE {_destination.Schema}.{name} OWNER TO {_destination.User}");
        await using var pipeline = await ApplyPipeline.CreateAsync(SinkConfigs.For(_destination, name, Soft, ("errors.tolerance", "all")));
        var inserts = await events.InsertsOfEveryRowAsync(table);
        events.CommitTime = s_t1;

        await pipeline.ApplyAsync(name, [.. inserts, await events.DeleteAsync(table, table.KeyOnly(rows[0])), await events.UpdateAsync(table, null, SourceTable.With(rows[2], "v", "finer"))]);

        Assert.That(await StateAsync(name), Is.EqualTo(new[] { $"1 good t {At(s_t1)}", "3 finer f" }));
        Assert.That(pipeline.Metrics.Rows(name, "soft_delete"), Is.EqualTo(1));
        Assert.That(pipeline.KafkaCommits.Last().Offset.Value, Is.EqualTo(5));
    }

    [Test]
    public async Task RecordsCarryingAColumnOfTheFlagsName_StopTheirTable_NamingTableAndColumn()
    {
        var name = TestEnvironment.UniqueName("collides");
        var table = await SourceTable.CreateAsync(_source, $"CREATE TABLE {name} (id integer PRIMARY KEY, __deleted boolean)", name);
        await table.ExecuteAsync($"INSERT INTO {name} VALUES (1, false)");
        using var events = new ChangeEvents(name);
        await using var pipeline = await ApplyPipeline.CreateAsync(SinkConfigs.For(_destination, name, Soft));

        var failure = await pipeline.ApplyStoppingAsync(name, await events.InsertsOfEveryRowAsync(table));

        Assert.That(failure.Describe(), Does.Contain(name).And.Contain("column \"__deleted\"").And.Contain("delete.soft.column"));
        Assert.That(await _destination.TableExistsAsync(name), Is.False);
    }

    [Test]
    public async Task SchemaEvolutionNone_ATableWithoutTheColumns_StopsNamingThem()
    {
        var name = TestEnvironment.UniqueName("fixed");
        var (table, events, _) = await TableAsync(name, rows: 1);
        using var __ = events;
        await _destination.ExecuteAsync($"CREATE TABLE {_destination.Schema}.{name} (id integer PRIMARY KEY, v text); GRANT ALL ON {_destination.Schema}.{name} TO {_destination.User}");
        await using var pipeline = await ApplyPipeline.CreateAsync(SinkConfigs.For(_destination, name, Soft, ("schema.evolution", "none")));

        var failure = await pipeline.ApplyStoppingAsync(name, await events.InsertsOfEveryRowAsync(table));

        Assert.That(failure.Describe(), Does.Contain("\"__deleted\" boolean NOT NULL DEFAULT false").And.Contain("schema.evolution=none"));
    }
}
