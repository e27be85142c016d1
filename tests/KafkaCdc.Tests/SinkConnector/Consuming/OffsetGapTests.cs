using System.Text.Json;
using Npgsql;
using KafkaCdc.DevStack;
using KafkaCdc.SinkConnector.Monitoring;
using KafkaCdc.Tests.Shared.Metrics;
using KafkaCdc.Tests.SinkConnector.Support;

namespace KafkaCdc.Tests.SinkConnector.Consuming;

/// <summary>
/// Records the broker deleted before the sink read them (issue 14: the dev stack's broker dropped the oldest records of
/// each partition while the sink was stopped, and librdkafka's <c>auto.offset.reset=earliest</c> jumped over them with
/// only a warning): the sink finds the gap between its next offset and the log start and stops the table naming the
/// partition and the lost range (<c>errors.offset.gap=stop</c>), or skips it and counts what it skipped (<c>skip</c>).
/// A new group starting at the log start is no gap.
/// </summary>
public class OffsetGapTests
{
    string _source = "";
    SinkDestination _destination = null!;

    [OneTimeSetUp]
    public async Task CreateDatabasesAsync()
    {
        TestEnvironment.RequireDevStackAdmin(); // deleting records needs the dev stack's broker
        _source = await SourceTable.CreateDatabaseAsync("gap_src");
        _destination = await SinkDestination.CreateAsync("gap_dst");
    }

    /// <summary>A table with rows 1-<paramref name="rows"/>, its topic of one partition, and an insert record per row in id order (not produced yet).</summary>
    async Task<(string Name, SourceTable Table, KafkaChanges Kafka, List<ChangeMessage> Messages)> TableAndInsertsAsync(string prefix, int rows)
    {
        var name = TestEnvironment.UniqueName(prefix);
        var table = await SourceTable.CreateAsync(_source, $"CREATE TABLE {name} (id integer PRIMARY KEY, v text)", name);
        using var events = new ChangeEvents(name);
        var kafka = await KafkaChanges.CreateAsync(name, partitions: 1);
        await table.ExecuteAsync($"INSERT INTO {name} SELECT i, 'row ' || i FROM generate_series(1, {rows}) i");
        var messages = new List<ChangeMessage>();
        foreach (var row in await table.RowsAsync(orderBy: "id")) messages.Add((await events.InsertAsync(table, row)) with { Partition = 0 });
        return (name, table, kafka, messages);
    }

    /// <summary>A table, its topic of one partition with rows 1-5 at offsets 0-4 applied by a sink that then stopped, and rows 6-20 at offsets 5-19.</summary>
    async Task<(string Name, SourceTable Table, Dictionary<string, string> Config)> AppliedThenStoppedAsync(string prefix, params (string Key, string Value)[] overrides)
    {
        var (name, table, kafka, messages) = await TableAndInsertsAsync(prefix, 20);
        using var produced = kafka;

        kafka.Produce(messages.Take(5));
        var config = SinkConfigs.For(_destination, name, overrides);
        await using (var sink = InProcessSink.Start(config))
        {
            await _destination.WaitUntilAppliedAsync(config["group.id"], name);
            Assert.That(await sink.StopAsync(), Is.EqualTo(0));
        }
        kafka.Produce(messages.Skip(5));
        return (name, table, config);
    }

    static StoppedTableSnapshot? StoppedTable(InProcessSink sink, string topic) =>
        sink.Worker.Status.Tasks.SelectMany(t => t.StoppedTables).FirstOrDefault(s => s.Topic == topic);

    [Test]
    public async Task RecordsDeletedWhileTheSinkWasStopped_StopTheTable_NamingThePartitionAndTheLostRange_AndNothingPastTheGapIsApplied()
    {
        var (name, _, config) = await AppliedThenStoppedAsync("gap_stop");
        await TestEnvironment.RequireDevStackAdmin().DeleteRecordsAsync(name, 0, beforeOffset: 12); // offsets 5-11, ids 6-12, are gone

        var port = LocalPorts.Free();
        config["rest.port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await using var sink = InProcessSink.Start(config);
        await Poll.UntilAsync(() => StoppedTable(sink, name) is not null, TimeSpan.FromSeconds(60), () => $"the table {name} to stop at the gap; log:\n{sink.Logging.Text}");

        var stopped = StoppedTable(sink, name)!;
        Assert.Multiple(() =>
        {
            Assert.That((stopped.Table, stopped.Partition, stopped.Offset), Is.EqualTo((name, 0, 5L)), "held at the first lost offset");
            Assert.That(stopped.Reason, Does.Contain($"records 5 to 11 of {name}/0 (7 records) were deleted by the broker").And.Contain("the log now starts at 12")
                .And.Contain("execute-snapshot").And.Contain("errors.offset.gap=skip"));
            Assert.That(stopped.PausedPartitions, Is.EqualTo(new[] { 0 }));
        });
        var health = sink.Worker.Status.Health();
        Assert.That((health.IsHealthy, health.State), Is.EqualTo((true, "degraded")));

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(5) };
        using (var status = JsonDocument.Parse(await http.GetStringAsync("/status")))
        {
            var json = status.RootElement.GetProperty("tasks")[0].GetProperty("stopped_tables")[0];
            Assert.That((json.GetProperty("partition").GetInt32(), json.GetProperty("offset").GetInt64()), Is.EqualTo((0, 5L)));
            Assert.That(json.GetProperty("reason").GetString(), Does.Contain("records 5 to 11"));
        }
        Assert.That(PrometheusText.Value(await http.GetStringAsync("/metrics"), "kafkacdc_sink_stopped_tables"), Is.EqualTo(1));

        var logged = sink.Logging.Logger.Entries.Where(e => e.EventId == 4303).Select(e => e.Message).ToList();
        Assert.That(logged, Has.Count.EqualTo(1), "the stop is logged once, at Error");
        Assert.That(logged[0], Does.Contain($"{name}/0 cannot go on at offset 5 (log start 12, 7 record(s) lost)"));

        Assert.That(await _destination.RowTextsAsync(name), Is.EqualTo(Enumerable.Range(1, 5).Select(i => $"({i},\"row {i}\")")), "nothing past the gap");
        Assert.That((await _destination.RecordedOffsetsAsync(config["group.id"]))[(name, 0)], Is.EqualTo(5L), "the offsets table holds the first lost offset");
        Assert.That(sink.Exit.IsCompleted, Is.False, "the sink runs on");
    }

    [Test]
    public async Task RecordsDeletedWhileTheSinkWasStopped_WithSkip_CarryOnFromTheLogStart_AndTheSkippedRecordsAreCountedAndReported()
    {
        var (name, _, config) = await AppliedThenStoppedAsync("gap_skip", ("errors.offset.gap", "skip"));
        await TestEnvironment.RequireDevStackAdmin().DeleteRecordsAsync(name, 0, beforeOffset: 12);

        await using var sink = InProcessSink.Start(config);
        await _destination.WaitUntilAppliedAsync(config["group.id"], name);

        var expected = Enumerable.Range(1, 5).Concat(Enumerable.Range(13, 8)).Select(i => $"({i},\"row {i}\")").Order(StringComparer.Ordinal);
        Assert.That(await _destination.RowTextsAsync(name), Is.EqualTo(expected), "rows 6-12 were lost, the others arrived");
        Assert.That(sink.Worker.Status.Tasks.SelectMany(t => t.StoppedTables), Is.Empty);
        await Poll.UntilAsync(() => sink.Worker.Status.Tasks.SelectMany(t => t.SkippedGaps).Any(), TimeSpan.FromSeconds(10), "the skipped gap in /status");
        var gap = sink.Worker.Status.Tasks.SelectMany(t => t.SkippedGaps).Single();
        Assert.That((gap.Topic, gap.Partition, gap.FromOffset, gap.ToOffset, gap.Records), Is.EqualTo((name, 0, 5L, 12L, 7L)));
        Assert.That(sink.Metrics.Total("kafkacdc_sink_records_lost_total", ("topic", name), ("partition", "0")), Is.EqualTo(7));
        var warnings = sink.Logging.Logger.Entries.Where(e => e.EventId == 4304).Select(e => e.Message).ToList();
        Assert.That(warnings, Has.Count.EqualTo(1));
        Assert.That(warnings[0], Does.Contain($"skipped {name}/0 from offset 5 to the log start 12 (7 record(s) lost, errors.offset.gap=skip)"));
        Assert.That(sink.Worker.Status.Health().State, Is.EqualTo("running"));
    }

    [Test]
    public async Task RecordsDeletedWhileARunningSinkLagged_StopTheTableAtTheFirstRecordItHadNotRead()
    {
        var (name, _, kafka, messages) = await TableAndInsertsAsync("gap_lag", 40);
        using var produced = kafka;
        kafka.Produce(messages.Take(5));
        // A prefetch of one record: the task's consumer reads little ahead of what it applies.
        var config = SinkConfigs.For(_destination, name, ("kafka.queued.min.messages", "1"), ("kafka.queued.max.messages.kbytes", "1"));
        await using var sink = InProcessSink.Start(config);
        await _destination.WaitUntilAppliedAsync(config["group.id"], name);

        // The destination table locked: the sink's next batch waits, and with it the task and its fetching.
        await using (var locker = new NpgsqlConnection(_destination.AdminConnectionString))
        {
            await locker.OpenAsync();
            await using var transaction = await locker.BeginTransactionAsync();
            await using (var lockTable = new NpgsqlCommand($"LOCK TABLE {_destination.Schema}.{name} IN ACCESS EXCLUSIVE MODE", locker, transaction)) await lockTable.ExecuteNonQueryAsync();
            kafka.Produce(messages.Skip(5).Take(1));
            await Poll.UntilAsync(async () => (long)(await _destination.ScalarAsync(
                $"SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = '{_destination.Schema}.{name}'::regclass"))! > 0,
                TimeSpan.FromSeconds(30), "the sink's batch to wait for the table lock");
            foreach (var message in messages.Skip(6)) kafka.Produce([message]); // one batch each: fetched one at a time
            await TestEnvironment.RequireDevStackAdmin().DeleteRecordsAsync(name, 0, beforeOffset: 39);
        }

        await Poll.UntilAsync(() => StoppedTable(sink, name) is not null, TimeSpan.FromSeconds(60), () => $"the table {name} to stop at the gap; log:\n{sink.Logging.Text}");
        var stopped = StoppedTable(sink, name)!;
        Assert.That(stopped.Offset, Is.InRange(6L, 38L), "held at the first record it had not read");
        Assert.That(stopped.Reason, Does.Contain($"records {stopped.Offset} to 38 of {name}/0 ({39 - stopped.Offset} records) were deleted by the broker"));
        var applied = (await _destination.RecordedOffsetsAsync(config["group.id"]))[(name, 0)];
        Assert.That(applied, Is.LessThanOrEqualTo(stopped.Offset), "nothing committed past the gap");
        Assert.That(await _destination.RowTextsAsync(name), Has.Count.EqualTo(applied).And.Not.Contain("(40,\"row 40\")"), "nothing applied past the gap");
    }

    [Test]
    public async Task NewGroup_StartsAtTheLogStart_WhichIsNoGap()
    {
        var (name, _, kafka, messages) = await TableAndInsertsAsync("gap_new", 6);
        using var produced = kafka;
        kafka.Produce(messages);
        await TestEnvironment.RequireDevStackAdmin().DeleteRecordsAsync(name, 0, beforeOffset: 2);

        var config = SinkConfigs.For(_destination, name);
        await using var sink = InProcessSink.Start(config);
        await _destination.WaitUntilAppliedAsync(config["group.id"], name);

        Assert.That(await _destination.RowTextsAsync(name), Is.EqualTo(Enumerable.Range(3, 4).Select(i => $"({i},\"row {i}\")")));
        Assert.That(sink.Worker.Status.Tasks.SelectMany(t => t.StoppedTables), Is.Empty);
        Assert.That(sink.Worker.Status.Tasks.SelectMany(t => t.SkippedGaps), Is.Empty);
        Assert.That(sink.Logging.Logger.Entries.Where(e => e.EventId is 4303 or 4304), Is.Empty);
    }
}
