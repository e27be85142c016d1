using KafkaCdc.Tests.SinkConnector.Support;

namespace KafkaCdc.Tests.SinkConnector.Applying;

/// <summary>Records that can never be written: isolated from their batch, then their table stops at them or they are set aside.</summary>
public class RecordErrorTests
{
    string _source = "";
    SinkDestination _destination = null!;

    [OneTimeSetUp]
    public async Task CreateDatabasesAsync()
    {
        _source = await SourceTable.CreateDatabaseAsync("errors_src");
        _destination = await SinkDestination.CreateAsync("errors_dst");
    }

    async Task<(SourceTable, ChangeEvents, List<ChangeMessage>)> TableAsync(string name)
    {
        var table = await SourceTable.CreateAsync(_source, $"CREATE TABLE {name} (id integer PRIMARY KEY, v text)", name);
        await table.ExecuteAsync($"INSERT INTO {name} VALUES (1, 'good'), (2, 'bad'), (3, 'good too')");
        var events = new ChangeEvents(name);
        var messages = new List<ChangeMessage>();
        foreach (var row in await table.RowsAsync()) messages.Add(await events.InsertAsync(table, row));
        return (table, events, messages);
    }

    [Test]
    public async Task GarbageRecord_ToleranceNone_StopsItsTableAtIt_AfterCommittingTheRecordsBefore()
    {
        var name = TestEnvironment.UniqueName("garbage");
        var (_, events, messages) = await TableAsync(name);
        using var _ = events;
        await using var pipeline = await ApplyPipeline.CreateAsync(SinkConfigs.For(_destination, name));

        var failure = await pipeline.ApplyStoppingAsync(name, messages[0], new ChangeMessage(null, [0, 0, 0, 0, 42, 1, 2, 3]), messages[2]);

        Assert.That(failure.Describe(), Does.StartWith($"record {name}/0/1 cannot be written: value: "));
        Assert.That(failure.Record.Offset, Is.EqualTo(1));
        Assert.That(await _destination.RowTextsAsync(name), Is.EqualTo(new[] { "(1,good)" }), "the record after it is not applied");
        Assert.That(pipeline.KafkaCommits.Select(c => c.Offset.Value), Is.EqualTo(new[] { 1L, 1L }), "offsets held at the record at fault");
    }

    [Test]
    public async Task ConstraintViolation_ToleranceAll_IsSetAside_AndTheRestOfTheBatchIsWritten()
    {
        var name = TestEnvironment.UniqueName("checked");
        var (_, events, messages) = await TableAsync(name);
        using var _ = events;
        await _destination.ExecuteAsync($"CREATE TABLE {_destination.Schema}.{name} (id integer PRIMARY KEY, v text CHECK (v <> 'bad')); GRANT ALL ON {_destination.Schema}.{name} TO {_destination.User}");
        await using var pipeline = await ApplyPipeline.CreateAsync(SinkConfigs.For(_destination, name, ("errors.tolerance", "all")));

        await pipeline.ApplyAsync(name, [.. messages, new ChangeMessage(null, [1, 2, 3])]);

        Assert.That(await _destination.RowTextsAsync(name), Is.EqualTo(new[] { "(1,good)", "(3,\"good too\")" }));
        Assert.That(pipeline.KafkaCommits.Last().Offset.Value, Is.EqualTo(4));
        var tolerated = pipeline.Logging.Logger.Entries.Where(e => e.EventId == 4300).Select(e => e.Message).ToList();
        Assert.That(tolerated, Is.EqualTo(new[]
        {
            $"Record {name}/0/1 cannot be written and is skipped (errors.tolerance=all, no dead-letter topic)",
            $"Record {name}/0/3 cannot be written and is skipped (errors.tolerance=all, no dead-letter topic)",
        }));
    }

    [Test]
    public async Task ConstraintViolation_InAGroupOfTopics_ToleranceNone_CommitsTheOtherTopic_AndLeavesTheStoppedTopicsLaterBatches()
    {
        var name = TestEnvironment.UniqueName("grouped");
        var (_, events, messages) = await TableAsync(name);
        using var _ = events;
        var other = name + "_other";
        var (_, otherEvents, otherMessages) = await TableAsync(other);
        using var __ = otherEvents;
        await _destination.ExecuteAsync($"CREATE TABLE {_destination.Schema}.{name} (id integer PRIMARY KEY, v text CHECK (v <> 'bad')); GRANT ALL ON {_destination.Schema}.{name} TO {_destination.User}");
        await using var pipeline = await ApplyPipeline.CreateAsync(SinkConfigs.For(_destination, name));

        // One group, one transaction, which fails on row 2 of partition 1: partition 0 of the same topic comes after it in
        // the group, so it is left out (not committed), and the other topic's batch is committed.
        await pipeline.ApplyAsync([(name, messages[1] with { Partition = 1 }), (other, otherMessages[0]), (other, otherMessages[1]), (name, messages[0] with { Partition = 0 }), (other, otherMessages[2])]);

        Assert.That(pipeline.Stops, Has.Count.EqualTo(1));
        Assert.That(pipeline.Stops[0].Describe(), Does.StartWith($"record {name}/1/0 cannot be written: "));
        Assert.That(await _destination.RowTextsAsync(name), Is.Empty, "partition 0's batch came after the stop in the group");
        Assert.That(await _destination.RowTextsAsync(other), Has.Count.EqualTo(3), "the other topic flows");
        var recorded = await _destination.RecordedOffsetsAsync(pipeline.Options.GroupId);
        Assert.That(recorded[(name, 1)], Is.EqualTo(0L), "partition 1 resumes at the record at fault");
        Assert.That(recorded.ContainsKey((name, 0)), Is.False, "partition 0 of the stopped table is not committed");
    }

    [Test]
    public async Task BrokenConnection_IsRetried_AndTheBatchAppliedOnce()
    {
        var name = TestEnvironment.UniqueName("retried");
        var (table, events, messages) = await TableAsync(name);
        using var _ = events;
        await using var pipeline = await ApplyPipeline.CreateAsync(SinkConfigs.For(_destination, name, ("insert.mode", "insert")));
        await pipeline.ApplyAsync(name, messages[0]);

        // The sink's connection dies between batches (a server restart, a network cut).
        await _destination.ExecuteAsync($"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '{_destination.User}'");
        await pipeline.ApplyAsync(name, messages[1], messages[2]);

        Assert.That(await _destination.RowTextsAsync(name), Is.EqualTo(await table.RowTextsAsync()));
        Assert.That(pipeline.Metrics.Total("kafkacdc_sink_retries_total"), Is.EqualTo(1));
    }
}
