using System.Net;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using KafkaCdc.DevStack;
using KafkaCdc.DevStack.SchemaRegistry;
using KafkaCdc.Tests.Shared.Metrics;
using KafkaCdc.Tests.SinkConnector.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace KafkaCdc.Tests.SinkConnector.Consuming;

/// <summary>The sink end to end in this process: consumer group, tasks, REST, dead letters, stopping a topic at a bad record.</summary>
public class SinkWorkerTests
{
    string _source = "";
    SinkDestination _destination = null!;

    [OneTimeSetUp]
    public async Task CreateDatabasesAsync()
    {
        _source = await SourceTable.CreateDatabaseAsync("worker_src");
        _destination = await SinkDestination.CreateAsync("worker_dst");
    }

    static Dictionary<int, long> CommittedInKafka(string groupId, string topic, int partitions)
    {
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig { BootstrapServers = TestEnvironment.KafkaBootstrapServers, GroupId = groupId }).Build();
        return consumer.Committed(Enumerable.Range(0, partitions).Select(p => new TopicPartition(topic, p)), TimeSpan.FromSeconds(10))
            .ToDictionary(o => o.Partition.Value, o => o.Offset.Value);
    }

    [Test]
    public async Task TwoTasks_StreamFourPartitions_ReportStatus_ThenANewGroupReplaysToTheSameState()
    {
        var name = TestEnvironment.UniqueName("stream");
        using var events = new ChangeEvents(name);
        var (table, messages) = await StreamHistory.CreateAsync(_source, name, events, rows: 400);
        using var kafka = await KafkaChanges.CreateAsync(name, partitions: 4);
        kafka.Produce(messages);
        var port = LocalPorts.Free();
        var config = SinkConfigs.For(_destination, name, ("tasks.max", "2"), ("rest.port", port.ToString()), ("batch.size", "100"));

        await using (var sink = InProcessSink.Start(config))
        {
            await _destination.WaitUntilAppliedAsync(config["group.id"], name);
            Assert.That(await _destination.RowTextsAsync(name), Is.EqualTo(await table.RowTextsAsync()));

            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(5) };
            var lastStatus = "";
            async Task<bool> HoldingEveryPartitionWithoutLag()
            {
                lastStatus = await http.GetStringAsync("/status");
                using var status = JsonDocument.Parse(lastStatus);
                var tasks = status.RootElement.GetProperty("tasks").EnumerateArray().ToList();
                var partitions = tasks.SelectMany(t => t.GetProperty("partitions").EnumerateArray()).ToList();
                return partitions.Count == 4 && tasks.All(t => t.GetProperty("partitions").GetArrayLength() > 0)
                       && partitions.All(p => p.GetProperty("lag").ValueKind == JsonValueKind.Number && p.GetProperty("lag").GetInt64() == 0);
            }
            try
            {
                await Poll.UntilAsync(HoldingEveryPartitionWithoutLag, TimeSpan.FromSeconds(30), "/status to show both tasks holding the 4 partitions with no lag");
            }
            catch (AssertionException)
            {
                Assert.Fail($"the last /status: {lastStatus}");
            }
            var metrics = await http.GetStringAsync("/metrics");
            Assert.That(PrometheusText.Value(metrics, "kafkacdc_sink_rows_total", ("table", name), ("op", "upsert")), Is.Positive, metrics);
            Assert.That(PrometheusText.Value(metrics, "kafkacdc_sink_batches_total"), Is.Positive);
            Assert.That(PrometheusText.Value(metrics, "kafkacdc_sink_lag", ("topic", name), ("partition", "0")), Is.Zero);
            Assert.That((await http.GetAsync("/health")).StatusCode, Is.EqualTo(HttpStatusCode.OK));

            Assert.That(await sink.StopAsync(), Is.EqualTo(0));
        }
        Assert.That(CommittedInKafka(config["group.id"], name, 4), Is.EqualTo(SinkDestination.EndOffsets(name)), "offsets committed to Kafka at shutdown");

        var replay = SinkConfigs.For(_destination, name, ("batch.size", "37"));
        await using (InProcessSink.Start(replay)) await _destination.WaitUntilAppliedAsync(replay["group.id"], name);
        Assert.That(await _destination.RowTextsAsync(name), Is.EqualTo(await table.RowTextsAsync()), "replaying the whole topic leaves the same state");
    }

    [Test]
    public async Task TopicsRegex_TopicCreatedAfterTheSinkSubscribed_IsPickedUpWithinSeconds()
    {
        var name = TestEnvironment.UniqueName("late_topic");
        var table = await SourceTable.CreateAsync(_source, $"CREATE TABLE {name} (id integer PRIMARY KEY, v text)", name);
        await table.ExecuteAsync($"INSERT INTO {name} VALUES (1, 'a table captured after the sink started')");
        var config = SinkConfigs.For(_destination, name, ("topics", null!), ("topics.regex", name + ".*"));
        await using var sink = InProcessSink.Start(config);
        await Poll.UntilAsync(() => sink.Logging.Logger.Entries.Any(e => e.EventId == 4010), TimeSpan.FromSeconds(30), "the sink's task to subscribe");

        using var events = new ChangeEvents(name);
        using var kafka = await KafkaChanges.CreateAsync(name, partitions: 1);
        kafka.Produce([await events.InsertAsync(table, await table.RowAsync("id = 1"))]);

        // librdkafka's default metadata refresh (5 minutes) would leave the new topic unread for that long.
        await Poll.UntilAsync(async () => await _destination.TableExistsAsync(name) && (await _destination.RowTextsAsync(name)).Count == 1,
            TimeSpan.FromSeconds(30), "the sink to notice the topic created after it subscribed and write its row");
    }

    [Test]
    public async Task InsertMode_CrashBetweenDatabaseAndKafkaCommit_ResumesFromTheOffsetsTable_NoDuplicates()
    {
        var name = TestEnvironment.UniqueName("appended");
        var table = await SourceTable.CreateAsync(_source, $"CREATE TABLE {name} (n integer, note text)", name);
        await table.ExecuteAsync($"INSERT INTO {name} SELECT i % 7, 'same for many' FROM generate_series(1, 100) i");
        using var events = new ChangeEvents(name);
        using var kafka = await KafkaChanges.CreateAsync(name, partitions: 1);
        kafka.Produce(await events.InsertsOfEveryRowAsync(table));
        var config = SinkConfigs.For(_destination, name, ("insert.mode", "insert"), ("batch.size", "30"));
        var group = config["group.id"];
        await using (var first = InProcessSink.Start(config))
        {
            await _destination.WaitUntilAppliedAsync(group, name);
            Assert.That(await first.StopAsync(), Is.EqualTo(0));
        }

        // As if the process died after the database commit but before the Kafka commit: Kafka's offset is behind.
        using (var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
        {
            BootstrapServers = TestEnvironment.KafkaBootstrapServers,
            GroupId = group,
            EnableAutoCommit = false,
            SessionTimeoutMs = SinkConfigs.SessionTimeoutMs,
            HeartbeatIntervalMs = 200,
        }).Build())
        {
            consumer.Subscribe(name);
            await Poll.UntilAsync(() => consumer.Consume(TimeSpan.FromMilliseconds(50)) is not null || consumer.Assignment.Count > 0,
                TimeSpan.FromSeconds(30), "a consumer of the group to be assigned the partition");
            consumer.Commit([new TopicPartitionOffset(name, 0, 0)]);
            consumer.Close();
        }
        Assert.That(CommittedInKafka(group, name, 1)[0], Is.EqualTo(0));

        await using var second = InProcessSink.Start(config);
        await Poll.UntilAsync(() => second.Logging.Logger.Entries.Any(e => e.EventId == 4201), TimeSpan.FromSeconds(30),
            "the restarted sink to resume from the offsets table");
        await table.ExecuteAsync($"INSERT INTO {name} VALUES (1000, 'after the restart')");
        kafka.Produce([await events.InsertAsync(table, await table.RowAsync("n = 1000"))]);
        await _destination.WaitUntilAppliedAsync(group, name);

        Assert.That(await _destination.RowTextsAsync(name), Is.EqualTo(await table.RowTextsAsync()));
        Assert.That(second.Logging.Logger.Entries.Single(e => e.EventId == 4201).Message, Does.Contain($"{name}/0 resumes at offset 100 from the offsets table (Kafka's committed offset: 0)"));
    }

    [Test]
    public async Task GarbageRecord_ToleranceAll_GoesToTheDeadLetterTopicWithErrorHeaders()
    {
        var name = TestEnvironment.UniqueName("dirty");
        var table = await SourceTable.CreateAsync(_source, $"CREATE TABLE {name} (id integer PRIMARY KEY, v text)", name);
        await table.ExecuteAsync($"INSERT INTO {name} VALUES (1, 'a'), (2, 'b')");
        using var events = new ChangeEvents(name);
        var rows = await table.RowsAsync();
        using var kafka = await KafkaChanges.CreateAsync(name, partitions: 1);
        kafka.Produce([(await events.InsertAsync(table, rows[0])) with { Partition = 0 }]);
        kafka.Produce([new ChangeMessage("k"u8.ToArray(), "not avro"u8.ToArray(), 0)], new Headers { { "origin", "legacy"u8.ToArray() } });
        kafka.Produce([(await events.InsertAsync(table, rows[1])) with { Partition = 0 }]);
        var deadLetters = TestEnvironment.UniqueName("dlq");
        await TestEnvironment.CreateTopicAsync(deadLetters, 1);
        var config = SinkConfigs.For(_destination, name, ("errors.tolerance", "all"), ("errors.deadletterqueue.topic.name", deadLetters));

        await using var sink = InProcessSink.Start(config);
        await _destination.WaitUntilAppliedAsync(config["group.id"], name);

        Assert.That(await _destination.RowTextsAsync(name), Is.EqualTo(new[] { "(1,a)", "(2,b)" }));
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig { BootstrapServers = TestEnvironment.KafkaBootstrapServers, GroupId = "unused" }).Build();
        consumer.Assign(new TopicPartitionOffset(deadLetters, 0, Offset.Beginning));
        var dead = consumer.Consume(TimeSpan.FromSeconds(30));
        Assert.That(dead, Is.Not.Null, "a record in the dead-letter topic");
        string Header(string key) => Encoding.UTF8.GetString(dead.Message.Headers.GetLastBytes(key));
        Assert.Multiple(() =>
        {
            Assert.That(dead.Message.Key, Is.EqualTo("k"u8.ToArray()));
            Assert.That(dead.Message.Value, Is.EqualTo("not avro"u8.ToArray()));
            Assert.That(Header("origin"), Is.EqualTo("legacy"));
            Assert.That(Header("__connect.errors.topic"), Is.EqualTo(name));
            Assert.That(Header("__connect.errors.partition"), Is.EqualTo("0"));
            Assert.That(Header("__connect.errors.offset"), Is.EqualTo("1"));
            Assert.That(Header("__connect.errors.exception.class.name"), Is.EqualTo("KafkaCdc.Shared.SchemaRegistry.Serdes.MessageDecodingException"));
            Assert.That(Header("__connect.errors.exception.message"), Does.Contain("not in the Confluent wire format"));
            Assert.That(Header("__connect.errors.exception.stacktrace"), Does.Contain("MessageDecodingException"));
        });
        Assert.That(sink.Metrics.Total("kafkacdc_sink_dead_letter_records_total", ("topic", name)), Is.EqualTo(1));
    }

    [Test]
    public async Task GarbageRecord_ToleranceNone_StopsItsTopicNamingTopicPartitionOffset_NotTheSink()
    {
        var name = TestEnvironment.UniqueName("strict");
        var table = await SourceTable.CreateAsync(_source, $"CREATE TABLE {name} (id integer PRIMARY KEY)", name);
        await table.ExecuteAsync($"INSERT INTO {name} VALUES (1)");
        using var events = new ChangeEvents(name);
        using var kafka = await KafkaChanges.CreateAsync(name, partitions: 1);
        kafka.Produce([(await events.InsertAsync(table, await table.RowAsync("id = 1"))) with { Partition = 0 }, new ChangeMessage(null, [0, 1], 0)]);

        await using var sink = InProcessSink.Start(SinkConfigs.For(_destination, name));
        await Poll.UntilAsync(() => sink.Worker.Status.Tasks[0].StoppedTables.Count > 0, TimeSpan.FromSeconds(60), () => $"the topic to stop; log:\n{sink.Logging.Text}");

        var stopped = sink.Worker.Status.Tasks[0].StoppedTables.Single();
        Assert.That((stopped.Table, stopped.Topic, stopped.Partition, stopped.Offset), Is.EqualTo(((string?)null, name, 0, 1L)), "an undecodable record's table is unknown");
        Assert.That(stopped.Reason, Does.StartWith("value: "));
        Assert.That(sink.Worker.Status.Health().IsHealthy, Is.True, "the sink runs on (degraded)");
        Assert.That(sink.Exit.IsCompleted, Is.False);
        Assert.That(await _destination.RowTextsAsync(name), Is.EqualTo(new[] { "(1)" }));
    }

    [Test]
    public async Task RegistryUnreachableWhileDecoding_RetriesTheRecord_ThenWritesIt_AndTheTaskReadsRunningAgain()
    {
        var name = TestEnvironment.UniqueName("registry_down");
        var table = await SourceTable.CreateAsync(_source, $"CREATE TABLE {name} (id integer PRIMARY KEY, v text)", name);
        await table.ExecuteAsync($"INSERT INTO {name} VALUES (1, 'decoded once the registry answers')");
        using var events = new ChangeEvents(name);
        using var kafka = await KafkaChanges.CreateAsync(name, partitions: 1);
        kafka.Produce([await events.InsertAsync(table, await table.RowAsync("id = 1"))]);
        var port = LocalPorts.Free(); // nothing listens there until the forwarder starts
        var config = SinkConfigs.For(_destination, name, ("schema.registry.url", $"http://127.0.0.1:{port}"), ("schema.registry.max.retries", "0"));
        await using var sink = InProcessSink.Start(config);
        string State() => sink.Worker.Status.Tasks[0].State;

        await Poll.UntilAsync(() => State() == "retrying", TimeSpan.FromSeconds(60), () => $"the task to retry while the registry is unreachable (state {State()})");
        using (TcpForwarder.Start(port, new Uri(TestEnvironment.RequireSchemaRegistryUrl())))
        {
            await Poll.UntilAsync(async () => await _destination.TableExistsAsync(name) && (await _destination.RowTextsAsync(name)).Count == 1,
                TimeSpan.FromSeconds(60), "the record written once the registry answers");
            // Regression: the state stayed "retrying" after a registry retry until some later batch had to retry too.
            await Poll.UntilAsync(() => State() == "running", TimeSpan.FromSeconds(30), () => $"the task's state back to running (it is {State()})");
        }
        Assert.That(sink.Exit.IsCompleted, Is.False, "the sink still runs");
    }

    [Test]
    public async Task WrongRegistryPassword_StopsTheSinkNamingTheRecordAndTheSettingNotTheSecret()
    {
        const string wrongPassword = "wrong-Pa55word";
        await using var registry = await SchemaRegistryServer.StartAsync(
            new SchemaRegistryServerOptions { BasicAuthUser = "connector", BasicAuthPassword = "right-Pa55word" }, NullLoggerFactory.Instance, CancellationToken.None);
        var name = TestEnvironment.UniqueName("registry_auth");
        using var kafka = await KafkaChanges.CreateAsync(name, partitions: 1);
        kafka.Produce([new ChangeMessage(null, [0, 0, 0, 0, 1, 2], 0)]); // the wire format's header: schema id 1
        var config = SinkConfigs.For(_destination, name,
            ("schema.registry.url", registry.Url.ToString()), ("schema.registry.basic.auth.user.info", $"connector:{wrongPassword}"));

        await using var sink = InProcessSink.Start(config);

        Assert.That(await sink.Exit.WaitAsync(TimeSpan.FromSeconds(60)), Is.EqualTo(1));
        Assert.That(sink.Worker.Failure!.Message, Does.Contain($"{name}/0/0").And.Contain("HTTP 401").And.Contain("schema.registry.basic.auth.user.info"));
        Assert.That(sink.Worker.Failure.ToString() + sink.Logging.Text, Does.Not.Contain(wrongPassword).And.Not.Contain("right-Pa55word"));
    }
}
