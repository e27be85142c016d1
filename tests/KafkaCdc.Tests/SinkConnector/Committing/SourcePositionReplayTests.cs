using KafkaCdc.Shared.ChangeEvents;
using KafkaCdc.Tests.SinkConnector.Support;

namespace KafkaCdc.Tests.SinkConnector.Committing;

/// <summary>
/// Records the source sends again after a crash land on new offsets with the positions they had: the sink applies each
/// change once, keyless tables and insert mode included, and keeps the highest position in <c>kafkacdc_sink_offsets</c>.
/// </summary>
public class SourcePositionReplayTests
{
    const ulong System = 7_394_816_273_645_118_001;
    string _source = "";
    SinkDestination _destination = null!;

    [OneTimeSetUp]
    public async Task CreateDatabasesAsync()
    {
        _source = await SourceTable.CreateDatabaseAsync("replay_src");
        _destination = await SinkDestination.CreateAsync("replay_dst");
    }

    /// <summary>The position of the only change of transaction <paramref name="commit"/>.</summary>
    static SourcePosition At(ulong commit) => new(System, commit * 100, 0);

    [TestCase("upsert")]
    [TestCase("insert")]
    public async Task KeylessTable_ReplayedTransactions_AreSkipped_EachRowOnce(string mode)
    {
        var name = TestEnvironment.UniqueName("keyless_" + mode);
        var table = await SourceTable.CreateAsync(_source, $"CREATE TABLE {name} (n integer, v text); ALTER TABLE {name} REPLICA IDENTITY FULL", name);
        await table.ExecuteAsync($"INSERT INTO {name} SELECT i, 'same' FROM generate_series(1, 7) i");
        using var events = new ChangeEvents(name);
        var inserts = (await table.RowsAsync()).Select((row, i) => (Row: row, Position: At((ulong)i + 1))).ToList();
        var messages = new List<ChangeMessage>();
        foreach (var (row, position) in inserts.Take(6)) messages.Add(await events.InsertAsync(table, row) with { Position = position });
        // The source confirmed up to the second transaction, crashed, and sends 3..6 again before the new seventh.
        foreach (var (row, position) in inserts.Skip(2)) messages.Add(await events.InsertAsync(table, row) with { Position = position });
        await using var pipeline = await ApplyPipeline.CreateAsync(SinkConfigs.For(_destination, name, ("insert.mode", mode), ("batch.size", "4")));

        await pipeline.ApplyAsync(name, messages);

        Assert.That(await _destination.RowTextsAsync(name), Is.EqualTo(await table.RowTextsAsync()), "7 rows, no duplicates");
        Assert.That(pipeline.Metrics.Total("kafkacdc_sink_replayed_records_skipped_total", ("table", name)), Is.EqualTo(4));
        Assert.That(pipeline.Metrics.Skipped("replayed"), Is.EqualTo(4));
    }

    [Test]
    public async Task AfterASinkRestart_TheStoredPositionSkipsReplays_AndAKeyedRowNeverGoesBackToAnOlderVersion()
    {
        var name = TestEnvironment.UniqueName("keyed");
        var table = await SourceTable.CreateAsync(_source, $"CREATE TABLE {name} (id integer PRIMARY KEY, v text)", name);
        using var events = new ChangeEvents(name);
        var versions = new List<ChangeMessage>();
        for (var version = 1; version <= 4; version++)
        {
            await table.ExecuteAsync(version == 1 ? $"INSERT INTO {name} VALUES (1, 'v1')" : $"UPDATE {name} SET v = 'v{version}'");
            var row = await table.RowAsync("id = 1");
            versions.Add(await (version == 1 ? events.InsertAsync(table, row) : events.UpdateAsync(table, null, row)) with { Position = At((ulong)version) });
        }
        var config = SinkConfigs.For(_destination, name);
        await using (var first = await ApplyPipeline.CreateAsync(config)) await first.ApplyAsync(name, versions.Take(3));
        Assert.That(await _destination.ScalarAsync($"SELECT v FROM kafkacdc.{name}"), Is.EqualTo("v3"));

        // Restarted: offsets 0..2 again (applied), then the source's replay of versions 1 and 2 on offsets 3 and 4.
        await using var second = await ApplyPipeline.CreateAsync(config);
        await second.ApplyAsync(name, [.. versions.Take(3), versions[0], versions[1]]);

        Assert.That(await _destination.ScalarAsync($"SELECT v FROM kafkacdc.{name}"), Is.EqualTo("v3"), "the replay does not take the row back to v1");
        Assert.That(second.Metrics.Skipped("already_applied"), Is.EqualTo(3));
        Assert.That(second.Metrics.Skipped("replayed"), Is.EqualTo(2));

        await second.ApplyAsync(name, versions[3]);
        Assert.That(await _destination.ScalarAsync($"SELECT v FROM kafkacdc.{name}"), Is.EqualTo("v4"));
        Assert.That(await _destination.ScalarAsync(
                $"SELECT encode(source_position, 'hex') FROM kafkacdc.kafkacdc_sink_offsets WHERE topic = '{name}'"),
            Is.EqualTo(Convert.ToHexString(At(4).ToBytes()).ToLowerInvariant()), "the highest position, stored with the offset");
    }

    [Test]
    public async Task ARecordThatStoppedItsTable_IsAppliedAfterTheFix_NotTakenForAReplay()
    {
        var name = TestEnvironment.UniqueName("stopped");
        var table = await SourceTable.CreateAsync(_source, $"CREATE TABLE {name} (id integer PRIMARY KEY, v text)", name);
        await table.ExecuteAsync($"INSERT INTO {name} VALUES (1, 'ok'), (2, 'bad')");
        using var events = new ChangeEvents(name);
        var rows = await table.RowsAsync();
        ChangeMessage[] messages = [await events.InsertAsync(table, rows[0]) with { Position = At(1) }, await events.InsertAsync(table, rows[1]) with { Position = At(2) }];
        var config = SinkConfigs.For(_destination, name);
        await using (var first = await ApplyPipeline.CreateAsync(config))
        {
            await first.ApplyAsync(name, messages[0]);
            await _destination.ExecuteAsync($"ALTER TABLE kafkacdc.{name} ADD CONSTRAINT no_bad CHECK (v <> 'bad')");
            var stop = await first.ApplyStoppingAsync(name, messages[1]);
            Assert.That(stop.Exception.Message, Does.Contain("no_bad"));
        }

        await _destination.ExecuteAsync($"ALTER TABLE kafkacdc.{name} DROP CONSTRAINT no_bad");
        await using var second = await ApplyPipeline.CreateAsync(config);
        await second.ApplyAsync(name, messages);

        Assert.That(await _destination.RowTextsAsync(name), Is.EqualTo(await table.RowTextsAsync()));
        Assert.That(second.Metrics.Skipped("replayed"), Is.Zero);
    }

    [Test]
    public async Task RecordsWithoutAPosition_AreAppliedAsBefore()
    {
        var name = TestEnvironment.UniqueName("nopos");
        var table = await SourceTable.CreateAsync(_source, $"CREATE TABLE {name} (n integer, v text); ALTER TABLE {name} REPLICA IDENTITY FULL", name);
        await table.ExecuteAsync($"INSERT INTO {name} VALUES (1, 'a')");
        using var events = new ChangeEvents(name);
        var insert = await events.InsertAsync(table, await table.RowAsync("n = 1"));
        await using var pipeline = await ApplyPipeline.CreateAsync(SinkConfigs.For(_destination, name, ("insert.mode", "insert")));

        await pipeline.ApplyAsync(name, insert, insert);

        Assert.That(await _destination.ScalarAsync($"SELECT count(*) FROM kafkacdc.{name}"), Is.EqualTo(2L),
            "another producer's record written twice is two rows: at least once, as documented");
    }
}
