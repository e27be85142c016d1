using KafkaCdc.Shared.ChangeEvents;
using KafkaCdc.Tests.SinkConnector.Support;

namespace KafkaCdc.Tests.SinkConnector.Applying;

/// <summary>
/// An initial snapshot interrupted and resumed in a new attempt: the sink holds one attempt's rows of each table and
/// skips the streamed changes that attempt's rows hold (header <c>kafkacdc.snapshot</c>), keyless tables and insert mode
/// included, across partitions, transactions and sink restarts.
/// </summary>
public class SnapshotAttemptTests
{
    const ulong System = SnapshotAttemptScenario.System;
    string _source = "";
    SinkDestination _destination = null!;

    [OneTimeSetUp]
    public async Task CreateDatabasesAsync()
    {
        _source = await SourceTable.CreateDatabaseAsync("attempt_src");
        _destination = await SinkDestination.CreateAsync("attempt_dst");
    }

    Task<SnapshotAttemptScenario> KeylessScenarioAsync(string name, ChangeEvents events) => SnapshotAttemptScenario.CreateAsync(_source, name, events);

    async Task<string?> StoredAttemptAsync(string name) =>
        await _destination.ScalarAsync(
            $"SELECT system_identifier || '/' || snapshot_lsn || '/' || attempt FROM {_destination.Schema}.kafkacdc_sink_snapshots " +
            $"WHERE destination_table = '\"{_destination.Schema}\".\"{name}\"'") as string;

    static string Stored(long snapshotLsn, uint attempt) => $"{unchecked((long)System)}/{(ulong)snapshotLsn >> 32:X}/{(uint)snapshotLsn:X}/{attempt}";

    [TestCase("upsert", "3")]
    [TestCase("insert", "3")]
    [TestCase("upsert", "1000")]
    [TestCase("insert", "1000")]
    public async Task KeylessTable_Attempt2AfterAttempt1_TheDestinationHoldsTheSourceRows_EachOnce(string mode, string batchSize)
    {
        var name = TestEnvironment.UniqueName("keyless_" + mode);
        using var events = new ChangeEvents(name);
        var scenario = await KeylessScenarioAsync(name, events);
        await using var pipeline = await ApplyPipeline.CreateAsync(SinkConfigs.For(_destination, name, ("insert.mode", mode), ("batch.size", batchSize)));

        await pipeline.ApplyAsync(name, scenario.Attempt1);
        Assert.That(await _destination.RowTextsAsync(name), Has.Count.EqualTo(5), "attempt 1's rows");
        Assert.That(await StoredAttemptAsync(name), Is.EqualTo(Stored(scenario.SnapshotLsn, 1)));
        await pipeline.ApplyAsync(name, scenario.AfterAttempt1);

        Assert.That(await _destination.RowTextsAsync(name), Is.EqualTo(await scenario.Table.RowTextsAsync()));
        Assert.That(await StoredAttemptAsync(name), Is.EqualTo(Stored(scenario.SnapshotLsn, 2)));
        Assert.That(pipeline.Metrics.Rows(name, "snapshot_reset"), Is.EqualTo(1));
        Assert.That(pipeline.Metrics.Skipped("held_by_snapshot"), Is.EqualTo(3));
        Assert.That(pipeline.Metrics.Total("kafkacdc_sink_replayed_records_skipped_total", ("table", name), ("reason", "held_by_snapshot")), Is.EqualTo(3));
        Assert.That(pipeline.Metrics.Skipped("stale_snapshot"), Is.Zero);
    }

    [TestCase("upsert")]
    [TestCase("insert")]
    public async Task ASinkRestartBetweenTheAttempts_KeepsItRight(string mode)
    {
        var name = TestEnvironment.UniqueName("restart_" + mode);
        using var events = new ChangeEvents(name);
        var scenario = await KeylessScenarioAsync(name, events);
        var config = SinkConfigs.For(_destination, name, ("insert.mode", mode), ("batch.size", "2"));
        await using (var first = await ApplyPipeline.CreateAsync(config)) await first.ApplyAsync(name, scenario.Attempt1);

        // Restarted: the same offsets again (applied already), then the rest.
        await using var second = await ApplyPipeline.CreateAsync(config);
        await second.ApplyAsync(name, [.. scenario.Attempt1, .. scenario.AfterAttempt1]);

        Assert.That(await _destination.RowTextsAsync(name), Is.EqualTo(await scenario.Table.RowTextsAsync()));
        Assert.That(second.Metrics.Skipped("already_applied"), Is.EqualTo(scenario.Attempt1.Count));
        Assert.That(second.Metrics.Rows(name, "snapshot_reset"), Is.EqualTo(1));
    }

    [TestCase("upsert")]
    [TestCase("insert")]
    public async Task MixedBatchAcrossPartitions_AnAttempt1RowBeforeAttempt2Rows_IsNotAtTheDestination(string mode)
    {
        var name = TestEnvironment.UniqueName("mixed_" + mode);
        using var events = new ChangeEvents(name);
        var scenario = await KeylessScenarioAsync(name, events);
        var late = scenario.Attempt1[0] with { Partition = 0 };
        var attempt2 = scenario.Attempt2.Select(m => m with { Partition = 1 }).ToList();
        await using var pipeline = await ApplyPipeline.CreateAsync(SinkConfigs.For(_destination, name, ("insert.mode", mode), ("batch.size", "1000")));

        // One transaction: partition 0's batch (the late attempt-1 row) comes before partition 1's (attempt 2).
        await pipeline.ApplyAsync(name, [late, .. attempt2]);

        Assert.That(pipeline.Metrics.Total("kafkacdc_sink_batches_total"), Is.EqualTo(1), "one transaction");
        Assert.That(pipeline.Metrics.Skipped("stale_snapshot"), Is.EqualTo(1));
        Assert.That(pipeline.Metrics.Rows(name, "snapshot_reset"), Is.Zero, "no row of the snapshot was applied before");
        var s2 = (await scenario.Table.RowTextsAsync()).Where(r => r != "(5,e)").Append("(1,a)").Order(StringComparer.Ordinal).ToList();
        Assert.That(await _destination.RowTextsAsync(name), Is.EqualTo(s2), "attempt 2's rows only: the table at S_2");
    }

    [TestCase("upsert")]
    [TestCase("insert")]
    public async Task WithSoftDeletes_AResetEmptiesTheTable_InsteadOfMarkingTheRows(string mode)
    {
        var name = TestEnvironment.UniqueName("soft_" + mode);
        using var events = new ChangeEvents(name);
        var scenario = await KeylessScenarioAsync(name, events);
        await using var pipeline = await ApplyPipeline.CreateAsync(SinkConfigs.For(_destination, name, ("insert.mode", mode), ("delete.mode", "soft")));

        await pipeline.ApplyAsync(name, scenario.Attempt1);
        await pipeline.ApplyAsync(name, scenario.Attempt2);

        Assert.That(await _destination.ScalarAsync($"SELECT count(*) FROM {_destination.Schema}.{name}"), Is.EqualTo((long)scenario.Attempt2.Count),
            "attempt 2's rows only: attempt 1's are copies, not deleted rows to keep");
        Assert.That(await _destination.ScalarAsync($"SELECT count(*) FROM {_destination.Schema}.{name} WHERE __deleted"), Is.Zero);
    }

    /// <summary>A source table with a key, rows 1 to 8.</summary>
    async Task<(string Name, SourceTable Table)> KeyedTableAsync(string prefix)
    {
        var name = TestEnvironment.UniqueName(prefix);
        var table = await SourceTable.CreateAsync(_source, $"CREATE TABLE {name} (id integer PRIMARY KEY, v text)", name);
        await table.ExecuteAsync($"INSERT INTO {name} SELECT i, 'v' || i FROM generate_series(1, 8) i");
        return (name, table);
    }

    /// <summary>Every row of <paramref name="table"/> read by snapshot <paramref name="attempt"/>, the i-th row in partition <paramref name="partition"/>(i).</summary>
    static async Task<List<ChangeMessage>> ReadsAsync(SourceTable table, ChangeEvents events, long snapshotLsn, uint attempt, Func<int, int> partition) =>
        [.. (await Task.WhenAll((await table.RowsAsync()).Select(r => events.InsertAsync(table, r, snapshotLsn, op: 'r'))))
            .Select((m, i) => m with { Partition = partition(i), Snapshot = SnapshotAttemptScenario.Mark(snapshotLsn, attempt, SnapshotMarkKind.Read) })];

    [Test]
    public async Task KeyedTableInInsertMode_Attempt2AfterAttempt1_HasNoDuplicateKeys()
    {
        var (name, table) = await KeyedTableAsync("keyed_insert");
        using var events = new ChangeEvents(name);
        var snapshotLsn = events.NextLsn;
        Task<List<ChangeMessage>> ReadAsync(uint attempt) => ReadsAsync(table, events, snapshotLsn, attempt, i => i % 2);
        var attempt1 = await ReadAsync(1);
        await table.ExecuteAsync($"UPDATE {name} SET v = 'changed' WHERE id = 3");
        var held = await events.UpdateAsync(table, null, await table.RowAsync("id = 3")) with
        {
            Partition = 1,
            Position = new SourcePosition(System, 100, 0),
            Snapshot = SnapshotAttemptScenario.Mark(snapshotLsn, 2, SnapshotMarkKind.HeldChange),
        };
        var attempt2 = await ReadAsync(2);
        await using var pipeline = await ApplyPipeline.CreateAsync(SinkConfigs.For(_destination, name, ("insert.mode", "insert"), ("batch.size", "3")));

        await pipeline.ApplyAsync(name, [.. attempt1, .. attempt2, held]);

        Assert.That(pipeline.Stops, Is.Empty, "a duplicate key would have stopped the table");
        Assert.That(await _destination.RowTextsAsync(name), Is.EqualTo(await table.RowTextsAsync()));
    }

    [TestCase("upsert")]
    [TestCase("insert")]
    public async Task KeyedTable_AChangeStreamedAfterAttempt2AppliedBeforeIt_IsKept_AndTheHeldChangesAreApplied(string mode)
    {
        // A keyed table converges without the rule (a newer attempt's rows overwrite the older's, the held changes repeat
        // what they hold; insert mode writes them as upserts); the rule would reset the table when attempt 2 arrives,
        // emptying a change streamed after attempt 2 that a partition holding none of attempt 2's rows brought first.
        var (name, table) = await KeyedTableAsync("keyed_" + mode);
        using var events = new ChangeEvents(name);
        var snapshotLsn = events.NextLsn;
        Task<List<ChangeMessage>> ReadAsync(uint attempt) => ReadsAsync(table, events, snapshotLsn, attempt, _ => 1);
        var attempt1 = await ReadAsync(1);
        var deleted = await table.RowAsync("id = 3");
        await table.ExecuteAsync($"DELETE FROM {name} WHERE id = 3");
        var heldDelete = await events.DeleteAsync(table, deleted) with
        {
            Partition = 1,
            Position = new SourcePosition(System, 100, 0),
            Snapshot = SnapshotAttemptScenario.Mark(snapshotLsn, 2, SnapshotMarkKind.HeldChange),
        };
        var attempt2 = await ReadAsync(2);
        await table.ExecuteAsync($"INSERT INTO {name} VALUES (9, 'after attempt 2')");
        var streamed = await events.InsertAsync(table, await table.RowAsync("id = 9")) with { Partition = 0, Position = new SourcePosition(System, 200, 0) };
        await using var pipeline = await ApplyPipeline.CreateAsync(SinkConfigs.For(_destination, name, ("insert.mode", mode), ("batch.size", "100")));

        await pipeline.ApplyAsync(name, attempt1);
        await pipeline.ApplyAsync(name, [streamed]);
        await pipeline.ApplyAsync(name, [.. attempt2, heldDelete]);

        Assert.That(pipeline.Stops, Is.Empty, "a duplicate key would have stopped the table");
        Assert.That(await _destination.RowTextsAsync(name), Is.EqualTo(await table.RowTextsAsync()));
        Assert.That(pipeline.Metrics.Rows(name, "snapshot_reset"), Is.Zero);
        Assert.That(await StoredAttemptAsync(name), Is.Null, "keyed records with a primary key to write them by do not take part");
    }

    [Test]
    public async Task KeyedTableInInsertMode_IntoATableWithoutAPrimaryKey_FollowsTheRule()
    {
        // Nothing to upsert by: the rule replaces attempt 1's rows, as for a table without a key.
        var (name, table) = await KeyedTableAsync("keyed_nopk");
        await _destination.ExecuteAsync($"CREATE TABLE {_destination.Schema}.{name} (id integer NOT NULL, v text); ALTER TABLE {_destination.Schema}.{name} OWNER TO {_destination.User}");
        using var events = new ChangeEvents(name);
        var snapshotLsn = events.NextLsn;
        Task<List<ChangeMessage>> ReadAsync(uint attempt) => ReadsAsync(table, events, snapshotLsn, attempt, i => i % 2);
        var attempt1 = await ReadAsync(1);
        await table.ExecuteAsync($"DELETE FROM {name} WHERE id = 3");
        var attempt2 = await ReadAsync(2);
        await using var pipeline = await ApplyPipeline.CreateAsync(SinkConfigs.For(_destination, name, ("insert.mode", "insert"), ("batch.size", "3")));

        await pipeline.ApplyAsync(name, attempt1);
        await pipeline.ApplyAsync(name, attempt2);

        Assert.That(await _destination.RowTextsAsync(name), Is.EqualTo(await table.RowTextsAsync()));
        Assert.That(pipeline.Metrics.Rows(name, "snapshot_reset"), Is.EqualTo(1));
    }

    [Test]
    public async Task ABatchReappliedRecordByRecord_AfterARecordFailed_FollowsTheSameRule()
    {
        var name = TestEnvironment.UniqueName("isolated");
        using var events = new ChangeEvents(name);
        var scenario = await KeylessScenarioAsync(name, events);
        await using var pipeline = await ApplyPipeline.CreateAsync(SinkConfigs.For(_destination, name, ("insert.mode", "insert"), ("errors.tolerance", "all")));
        await pipeline.ApplyAsync(name, scenario.Attempt1);
        await _destination.ExecuteAsync($"ALTER TABLE {_destination.Schema}.{name} ADD CONSTRAINT no_f CHECK (v <> 'f') NOT VALID");

        await pipeline.ApplyAsync(name, scenario.AfterAttempt1);

        Assert.That(pipeline.Metrics.Total("kafkacdc_sink_dead_letter_records_total"), Is.EqualTo(1), "attempt 2's (6,f), isolated");
        Assert.That(await _destination.RowTextsAsync(name), Is.EqualTo((await scenario.Table.RowTextsAsync()).Where(r => r != "(6,f)")));
        Assert.That(pipeline.Metrics.Skipped("held_by_snapshot"), Is.EqualTo(3));
    }

    [Test]
    public async Task ALateAttempt1Row_AfterAttempt2WasStored_IsStale()
    {
        var name = TestEnvironment.UniqueName("late");
        using var events = new ChangeEvents(name);
        var scenario = await KeylessScenarioAsync(name, events);
        await using var pipeline = await ApplyPipeline.CreateAsync(SinkConfigs.For(_destination, name, ("batch.size", "1")));

        await pipeline.ApplyAsync(name, [.. scenario.Attempt2, .. scenario.Held, .. scenario.Streamed, .. scenario.Attempt1]);

        Assert.That(await _destination.RowTextsAsync(name), Is.EqualTo(await scenario.Table.RowTextsAsync()));
        Assert.That(pipeline.Metrics.Skipped("stale_snapshot"), Is.EqualTo(scenario.Attempt1.Count));
        Assert.That(pipeline.Metrics.Rows(name, "snapshot_reset"), Is.Zero);
    }

    [Test]
    public async Task RecordsWithoutTheHeader_AreAppliedAsBefore_AndNothingIsRecorded()
    {
        var name = TestEnvironment.UniqueName("plain");
        using var events = new ChangeEvents(name);
        var scenario = await KeylessScenarioAsync(name, events);
        await using var pipeline = await ApplyPipeline.CreateAsync(SinkConfigs.For(_destination, name, ("insert.mode", "insert")));

        await pipeline.ApplyAsync(name, scenario.Attempt1.Select(m => m with { Snapshot = null }));
        await pipeline.ApplyAsync(name, scenario.Attempt1.Select(m => m with { Snapshot = null }));

        Assert.That(await _destination.RowTextsAsync(name), Has.Count.EqualTo(10), "at least once, as documented for records without a mark");
        Assert.That(await StoredAttemptAsync(name), Is.Null);
    }

    [Test]
    public async Task AMalformedHeader_StopsTheTable_NamingItsLength()
    {
        var name = TestEnvironment.UniqueName("malformed");
        using var events = new ChangeEvents(name);
        var scenario = await KeylessScenarioAsync(name, events);
        await using var pipeline = await ApplyPipeline.CreateAsync(SinkConfigs.For(_destination, name));

        var stop = await pipeline.ApplyStoppingAsync(name, scenario.Attempt1[0], scenario.Attempt1[1] with { Snapshot = null, SnapshotBytes = new byte[20] });

        Assert.That(stop.Exception.Message, Does.Contain("kafkacdc.snapshot is 20 bytes, not 21"));
    }
}
