using System.Text.Json;
using Confluent.Kafka;
using KafkaCdc.DevStack;
using KafkaCdc.SinkConnector.Monitoring;
using KafkaCdc.Tests.Shared.Metrics;
using KafkaCdc.Tests.SinkConnector.Support;

namespace KafkaCdc.Tests.SinkConnector.Consuming;

/// <summary>
/// <c>errors.tolerance=none</c>: a record the sink cannot write stops its table (the topic's partitions paused, offsets
/// held at the record, <c>/status</c> says so), the task's other tables keep flowing, and a restart after the fix resumes
/// at the record.
/// </summary>
public class TableStopTests
{
    string _source = "";
    SinkDestination _destination = null!;

    [OneTimeSetUp]
    public async Task CreateDatabasesAsync()
    {
        _source = await SourceTable.CreateDatabaseAsync("stop_src");
        _destination = await SinkDestination.CreateAsync("stop_dst");
    }

    static long? CommittedInKafka(string groupId, TopicPartition partition)
    {
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig { BootstrapServers = TestEnvironment.KafkaBootstrapServers, GroupId = groupId }).Build();
        var committed = consumer.Committed([partition], TimeSpan.FromSeconds(10)).Single().Offset;
        return committed.IsSpecial ? null : committed.Value;
    }

    static StoppedTableSnapshot? StoppedTable(InProcessSink sink, string topic) =>
        sink.Worker.Status.Tasks.SelectMany(t => t.StoppedTables).FirstOrDefault(s => s.Topic == topic);

    [Test]
    public async Task RetypedColumn_StopsOnlyItsTable_TheOtherTableFlows_AndARestartAfterTheFixResumesAtTheRecord()
    {
        // Keyless tables: every record appends a row, so a record applied twice (or lost) shows in the comparison.
        var good = TestEnvironment.UniqueName("flows");
        var bad = TestEnvironment.UniqueName("stops");
        var goodTable = await SourceTable.CreateAsync(_source, $"CREATE TABLE {good} (id integer, v text)", good);
        var badTable = await SourceTable.CreateAsync(_source, $"CREATE TABLE {bad} (id integer, v text)", bad);
        using var goodEvents = new ChangeEvents(good);
        using var badEvents = new ChangeEvents(bad);
        using var goodKafka = await KafkaChanges.CreateAsync(good, partitions: 1);
        using var badKafka = await KafkaChanges.CreateAsync(bad, partitions: 1);
        // The destination's w is an integer; the source's (added later) is text, which the sink refuses to change.
        await _destination.ExecuteAsync($"CREATE TABLE {_destination.Schema}.{bad} (id integer, v text, w integer); GRANT ALL ON {_destination.Schema}.{bad} TO {_destination.User}");

        await goodTable.ExecuteAsync($"INSERT INTO {good} SELECT i, 'before' FROM generate_series(1, 5) i");
        goodKafka.Produce(await goodEvents.InsertsOfEveryRowAsync(goodTable));
        await badTable.ExecuteAsync($"INSERT INTO {bad} SELECT i, 'fits' FROM generate_series(1, 3) i");
        badKafka.Produce(await badEvents.InsertsOfEveryRowAsync(badTable)); // offsets 0-2
        await badTable.ExecuteAsync($"ALTER TABLE {bad} ADD COLUMN w text; INSERT INTO {bad} VALUES (4, 'refused', 'four'), (5, 'after it', 'five')");
        await badTable.RefreshAsync();
        badKafka.Produce([await badEvents.InsertAsync(badTable, await badTable.RowAsync("id = 4")), await badEvents.InsertAsync(badTable, await badTable.RowAsync("id = 5"))]);

        var port = LocalPorts.Free();
        var config = SinkConfigs.For(_destination, $"{good},{bad}", ("rest.port", port.ToString()), ("insert.mode", "insert"));
        var group = config["group.id"];
        await using (var sink = InProcessSink.Start(config))
        {
            await Poll.UntilAsync(() => StoppedTable(sink, bad) is not null, TimeSpan.FromSeconds(60), () => $"the table {bad} to stop; log:\n{sink.Logging.Text}");
            await _destination.WaitUntilAppliedAsync(group, good);

            // Records produced after the stop: the good table's arrive, the stopped table's do not.
            await goodTable.ExecuteAsync($"INSERT INTO {good} SELECT i, 'after the stop' FROM generate_series(6, 8) i");
            goodKafka.Produce([.. await Task.WhenAll((await goodTable.RowsAsync("id > 5")).Select(r => goodEvents.InsertAsync(goodTable, r)))]);
            await badTable.ExecuteAsync($"INSERT INTO {bad} VALUES (6, 'after the stop', 'six')");
            badKafka.Produce([await badEvents.InsertAsync(badTable, await badTable.RowAsync("id = 6"))]);
            await _destination.WaitUntilAppliedAsync(group, good);
            Assert.That(await _destination.RowTextsAsync(good), Is.EqualTo(await goodTable.RowTextsAsync()), "the other table flows, also after the stop");
            Assert.That(await _destination.RowTextsAsync(bad), Is.EqualTo(new[] { "(1,fits,)", "(2,fits,)", "(3,fits,)" }), "only the records before the one at fault");

            var stopped = StoppedTable(sink, bad)!;
            Assert.Multiple(() =>
            {
                Assert.That((stopped.Table, stopped.Partition, stopped.Offset), Is.EqualTo((bad, 0, 3L)));
                Assert.That(stopped.Reason, Does.Contain("column \"w\" is integer here but text in the records"));
                Assert.That(stopped.PausedPartitions, Is.EqualTo(new[] { 0 }));
            });
            var task = sink.Worker.Status.Tasks.Single();
            Assert.That(task.State, Is.EqualTo("running"), "the task runs on for its other table");
            Assert.That(task.Partitions.Select(p => (p.Topic, p.Paused)), Is.EquivalentTo(new[] { (good, false), (bad, true) }));
            var health = sink.Worker.Status.Health();
            Assert.That((health.IsHealthy, health.State), Is.EqualTo((true, "degraded")));
            Assert.That(health.Error, Does.Contain($"table {bad} stopped at record {bad}/0/3"));

            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(5) };
            using (var status = JsonDocument.Parse(await http.GetStringAsync("/status")))
            {
                Assert.That(status.RootElement.GetProperty("state").GetString(), Is.EqualTo("degraded"));
                var json = status.RootElement.GetProperty("tasks")[0].GetProperty("stopped_tables")[0];
                Assert.That((json.GetProperty("table").GetString(), json.GetProperty("topic").GetString(), json.GetProperty("partition").GetInt32(), json.GetProperty("offset").GetInt64()),
                    Is.EqualTo((bad, bad, 0, 3L)));
                Assert.That(json.GetProperty("reason").GetString(), Does.Contain("column \"w\""));
                Assert.That(json.GetProperty("since").GetDateTimeOffset(), Is.GreaterThan(DateTimeOffset.UtcNow.AddMinutes(-5)));
            }
            Assert.That(PrometheusText.Value(await http.GetStringAsync("/metrics"), "kafkacdc_sink_stopped_tables"), Is.EqualTo(1));

            var logged = sink.Logging.Logger.Entries.Where(e => e.EventId == 4302).Select(e => e.Message).ToList();
            Assert.That(logged, Has.Count.EqualTo(1), "the stop is logged once");
            Assert.That(logged[0], Does.Contain($"stopped table {bad}: record {bad}/0/3 cannot be written").And.Contain("column \"w\" is integer here but text in the records")
                .And.Contain("ALTER TABLE").And.Contain("restart the sink; it resumes at this record"));
            Assert.That(sink.Logging.Text, Does.Not.Contain(_destination.Password));

            Assert.That(sink.Exit.IsCompleted, Is.False, "the sink runs on");
            Assert.That((await _destination.RecordedOffsetsAsync(group))[(bad, 0)], Is.EqualTo(3L), "the offsets table holds the record at fault");
            Assert.That(CommittedInKafka(group, new TopicPartition(bad, 0)), Is.EqualTo(3L), "Kafka's committed offset is the record at fault");
            Assert.That(await sink.StopAsync(), Is.EqualTo(0));
        }
        Assert.That(CommittedInKafka(group, new TopicPartition(bad, 0)), Is.EqualTo(3L), "a clean shutdown commits nothing past the record at fault");

        await _destination.ExecuteAsync($"ALTER TABLE {_destination.Schema}.{bad} ALTER COLUMN w TYPE text");
        await using (var restarted = InProcessSink.Start(config))
        {
            await _destination.WaitUntilAppliedAsync(group, bad);
            await _destination.WaitUntilAppliedAsync(group, good);
            Assert.That(restarted.Worker.Status.Tasks.SelectMany(t => t.StoppedTables), Is.Empty);
        }
        Assert.That(await _destination.RowTextsAsync(bad), Is.EqualTo(await badTable.RowTextsAsync()), "every record of the stopped table arrived exactly once");
        Assert.That(await _destination.RowTextsAsync(good), Is.EqualTo(await goodTable.RowTextsAsync()), "nothing of the other table applied twice");
    }

    [Test]
    public async Task ConstraintViolationOnOnePartition_PausesBothPartitionsOfTheTopic_AndAnotherTopicFlows()
    {
        var checkedName = TestEnvironment.UniqueName("checked");
        var other = TestEnvironment.UniqueName("unchecked");
        var checkedTable = await SourceTable.CreateAsync(_source, $"CREATE TABLE {checkedName} (id integer PRIMARY KEY, v text)", checkedName);
        var otherTable = await SourceTable.CreateAsync(_source, $"CREATE TABLE {other} (id integer PRIMARY KEY, v text)", other);
        using var checkedEvents = new ChangeEvents(checkedName);
        using var otherEvents = new ChangeEvents(other);
        using var checkedKafka = await KafkaChanges.CreateAsync(checkedName, partitions: 2);
        using var otherKafka = await KafkaChanges.CreateAsync(other, partitions: 1);
        await _destination.ExecuteAsync($"CREATE TABLE {_destination.Schema}.{checkedName} (id integer PRIMARY KEY, v text CHECK (v <> 'bad')); " +
            $"GRANT ALL ON {_destination.Schema}.{checkedName} TO {_destination.User}");
        await checkedTable.ExecuteAsync($"INSERT INTO {checkedName} VALUES (1, 'good'), (2, 'bad'), (3, 'good'), (4, 'after the stop')");
        await otherTable.ExecuteAsync($"INSERT INTO {other} VALUES (1, 'before'), (2, 'after the stop')");
        async Task<ChangeMessage> Checked(int id, int partition) => (await checkedEvents.InsertAsync(checkedTable, await checkedTable.RowAsync($"id = {id}"))) with { Partition = partition };
        async Task<ChangeMessage> Other(int id) => await otherEvents.InsertAsync(otherTable, await otherTable.RowAsync($"id = {id}"));

        checkedKafka.Produce([await Checked(1, 0), await Checked(2, 0), await Checked(3, 1)]);
        otherKafka.Produce([await Other(1)]);
        var config = SinkConfigs.For(_destination, $"{checkedName},{other}");
        await using var sink = InProcessSink.Start(config);
        await Poll.UntilAsync(() => StoppedTable(sink, checkedName) is not null, TimeSpan.FromSeconds(60), () => $"the table {checkedName} to stop; log:\n{sink.Logging.Text}");

        checkedKafka.Produce([await Checked(4, 1)]);
        otherKafka.Produce([await Other(2)]);
        await _destination.WaitUntilAppliedAsync(config["group.id"], other);

        var stopped = StoppedTable(sink, checkedName)!;
        Assert.That((stopped.Partition, stopped.Offset), Is.EqualTo((0, 1L)));
        Assert.That(stopped.PausedPartitions, Is.EqualTo(new[] { 0, 1 }));
        Assert.That(sink.Worker.Status.Tasks.Single().Partitions.Where(p => p.Topic == checkedName).Select(p => p.Paused), Is.EqualTo(new[] { true, true }));
        Assert.That(await _destination.RowTextsAsync(other), Is.EqualTo(await otherTable.RowTextsAsync()), "the other topic flows");
        var written = await _destination.RowTextsAsync(checkedName);
        Assert.That(written, Does.Contain("(1,good)").And.Not.Contain("(4,\"after the stop\")"), "partition 1 is paused too: nothing produced after the stop");
        var recorded = await _destination.RecordedOffsetsAsync(config["group.id"]);
        Assert.That(recorded[(checkedName, 0)], Is.EqualTo(1L), "partition 0 held at the record at fault");
        Assert.That(recorded.GetValueOrDefault((checkedName, 1)), Is.LessThanOrEqualTo(1L), "partition 1 never committed past what was applied before the stop");
        Assert.That(sink.Exit.IsCompleted, Is.False);
    }

    [Test]
    public async Task StoppedPartitionRevokedByARebalance_IsForgotten_AndItsNextOwnerStopsTheTableAtTheSameRecord()
    {
        var name = TestEnvironment.UniqueName("moved");
        var table = await SourceTable.CreateAsync(_source, $"CREATE TABLE {name} (id integer PRIMARY KEY, v text)", name);
        using var events = new ChangeEvents(name);
        using var kafka = await KafkaChanges.CreateAsync(name, partitions: 1);
        await _destination.ExecuteAsync($"CREATE TABLE {_destination.Schema}.{name} (id integer PRIMARY KEY, v text CHECK (v <> 'bad')); " +
            $"GRANT ALL ON {_destination.Schema}.{name} TO {_destination.User}");
        await table.ExecuteAsync($"INSERT INTO {name} VALUES (1, 'good'), (2, 'bad'), (3, 'good')");
        kafka.Produce(await events.InsertsOfEveryRowAsync(table));
        var config = SinkConfigs.For(_destination, name);
        int Stops(params InProcessSink[] sinks) => sinks.Sum(s => s.Logging.Logger.Entries.Count(e => e.EventId == 4302));

        await using var first = InProcessSink.Start(config);
        await Poll.UntilAsync(() => StoppedTable(first, name) is not null, TimeSpan.FromSeconds(60), () => $"the table to stop; log:\n{first.Logging.Text}");
        await using var second = InProcessSink.Start(config); // joins the group: the eager rebalance revokes the partition

        // Polled to the settled state: under load a member can miss its heartbeats and cause one more rebalance, which moves
        // the partition (and its stop) once more; at the end exactly one member, the owner, reports the stop.
        List<InProcessSink> holders = [];
        await Poll.UntilAsync(() =>
            {
                holders = [.. new[] { first, second }.Where(s => StoppedTable(s, name) is not null)];
                return first.Logging.Logger.Entries.Any(e => e.EventId == 4012) && Stops(first, second) >= 2 && holders.Count == 1;
            }, TimeSpan.FromSeconds(60),
            () => $"the partition revoked and stopped again by its next owner, and only the owner reporting the stop ({holders.Count} do); " +
                  $"first:\n{first.Logging.Text}\nsecond:\n{second.Logging.Text}");
        Assert.That(StoppedTable(holders[0], name)!.Offset, Is.EqualTo(1L), "stopped at the same record");
        Assert.That((await _destination.RecordedOffsetsAsync(config["group.id"]))[(name, 0)], Is.EqualTo(1L));
        Assert.That(await _destination.RowTextsAsync(name), Is.EqualTo(new[] { "(1,good)" }));
    }
}
