using Confluent.Kafka;
using KafkaCdc.Shared.Postgres;
using KafkaCdc.SinkConnector.Destination;
using KafkaCdc.Tests.SinkConnector.Support;
using Npgsql;

namespace KafkaCdc.Tests.SinkConnector.Hosting;

/// <summary>The sink binary: exit codes, <c>check</c>, and SIGTERM.</summary>
public class SinkProcessTests
{
    string _source = "";
    SinkDestination _destination = null!;

    [OneTimeSetUp]
    public async Task CreateDatabasesAsync()
    {
        _source = await SourceTable.CreateDatabaseAsync("process_src");
        _destination = await SinkDestination.CreateAsync("process_dst");
    }

    [Test]
    public async Task BadConfig_ExitsTwo_WithOneMessageListingEveryProblem()
    {
        var config = new Dictionary<string, string>
        {
            ["topics"] = "a",
            ["topics.regex"] = "b.*",
            ["connection.hostname"] = "localhost",
            ["connection.password"] = "hunter2-secret",
            ["insert.mode"] = "replace",
            ["kafka.bootstrap.servers"] = "localhost:1",
            ["schema.registry.url"] = "ftp://registry",
            ["bacth.size"] = "10",
        };
        await using var sink = ConnectorProcess.StartSink(config);

        Assert.That(await sink.WaitForExitAsync(TimeSpan.FromSeconds(30)), Is.EqualTo(2));
        Assert.That(sink.Output, Does.Contain("invalid configuration (7 problems):"));
        foreach (var problem in new[]
        {
            "name: is required", "topics: set either topics or topics.regex", "connection.username: is required", "connection.database: is required",
            "insert.mode: 'replace' is not one of: upsert, insert", "schema.registry.url: 'ftp://registry' is not an http:// or https:// URL",
            "bacth.size: unknown key; did you mean 'batch.size'?",
        })
        {
            Assert.That(sink.Output, Does.Contain("  - " + problem));
        }
        Assert.That(sink.Output, Does.Not.Contain("hunter2-secret"));
    }

    [Test]
    public async Task Check_MisconfiguredDestination_ExitsThree_NamingEachProblem_ThenPassesOnceFixed()
    {
        var topic = TestEnvironment.UniqueName("checked");
        await TestEnvironment.CreateTopicAsync(topic, 1);
        var schema = _destination.Schema;
        var table = TestEnvironment.UniqueName("not_granted");
        await _destination.ExecuteAsync($"REVOKE CREATE ON SCHEMA {schema} FROM {_destination.User}; CREATE TABLE {schema}.{table} (id integer)");
        var missingTopic = TestEnvironment.UniqueName("missing");

        await using (var failing = ConnectorProcess.StartSink(SinkConfigs.For(_destination, $"{topic},{missingTopic}"), "check"))
        {
            Assert.That(await failing.WaitForExitAsync(TimeSpan.FromSeconds(60)), Is.EqualTo(3), failing.Output);
            Assert.That(failing.Output, Does.Contain($"PASS connect to {_destination.User}@"));
            Assert.That(failing.Output, Does.Contain($"FAIL USAGE and CREATE on schema \"{schema}\": the user lacks CREATE on schema \"{schema}\""));
            Assert.That(failing.Output, Does.Contain($"FAIL SELECT, INSERT, UPDATE, DELETE on the tables of schema \"{schema}\": \"{table}\" lacks SELECT, INSERT, UPDATE, DELETE"));
            Assert.That(failing.Output, Does.Contain($"FAIL topics {topic}, {missingTopic}: missing: {missingTopic}"));
            Assert.That(failing.Output, Does.Contain("PASS schema registry"));
        }

        await _destination.ExecuteAsync($"GRANT CREATE ON SCHEMA {schema} TO {_destination.User}; GRANT SELECT, INSERT, UPDATE, DELETE ON {schema}.{table} TO {_destination.User}");
        await using var passing = ConnectorProcess.StartSink(SinkConfigs.For(_destination, topic), "check");
        Assert.That(await passing.WaitForExitAsync(TimeSpan.FromSeconds(60)), Is.EqualTo(0), passing.Output);
        Assert.That(passing.Output, Does.Not.Contain("FAIL"));
    }

    [Test]
    public async Task Check_SoftDeletes_NamesTablesWhoseColumnsCannotTakeThem()
    {
        var destination = await SinkDestination.CreateAsync("process_soft_dst");
        var topic = TestEnvironment.UniqueName("soft_checked");
        await TestEnvironment.CreateTopicAsync(topic, 1);
        var schema = destination.Schema;
        await destination.ExecuteAsync($"""
            CREATE TABLE {schema}.wrong_type (id integer, __deleted text); ALTER TABLE {schema}.wrong_type OWNER TO {destination.User};
            CREATE TABLE {schema}.not_owned (id integer); GRANT SELECT, INSERT, UPDATE, DELETE ON {schema}.not_owned TO {destination.User};
            CREATE TABLE {schema}.fine (id integer); ALTER TABLE {schema}.fine OWNER TO {destination.User};
            """);

        await using var failing = ConnectorProcess.StartSink(SinkConfigs.For(destination, topic, ("delete.mode", "soft")), "check");

        Assert.That(await failing.WaitForExitAsync(TimeSpan.FromSeconds(60)), Is.EqualTo(3), failing.Output);
        Assert.That(failing.Output, Does.Contain($"FAIL soft-delete columns \"__deleted\" and \"__deleted_at\" in the tables of schema \"{schema}\" (delete.mode=soft): " +
            "\"not_owned\" lacks them, and only its owner can add them; \"wrong_type\".\"__deleted\" is text, not boolean"));
    }

    [Test]
    public async Task Sigterm_FinishesTheBatchInFlight_CommitsToBothSides_AndExitsZero()
    {
        var name = TestEnvironment.UniqueName("terminated");
        using var events = new ChangeEvents(name);
        var (_, messages) = await StreamHistory.CreateAsync(_source, name, events, rows: 6000);
        using var kafka = await KafkaChanges.CreateAsync(name, partitions: 4);
        kafka.Produce(messages);
        var config = SinkConfigs.For(_destination, name, ("batch.size", "250"));
        await using var sink = ConnectorProcess.StartSink(config);

        await Poll.UntilAsync(async () => (await _destination.RecordedOffsetsAsync(config["group.id"])).Count > 0, TimeSpan.FromSeconds(60),
            "the sink to commit a first batch");
        Assert.That(await sink.TerminateAsync(TimeSpan.FromSeconds(60)), Is.EqualTo(0), sink.Output);

        var recorded = await _destination.RecordedOffsetsAsync(config["group.id"]);
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig { BootstrapServers = TestEnvironment.KafkaBootstrapServers, GroupId = config["group.id"] }).Build();
        var committed = consumer.Committed(Enumerable.Range(0, 4).Select(p => new TopicPartition(name, p)), TimeSpan.FromSeconds(10))
            .Where(o => !o.Offset.IsSpecial).ToDictionary(o => (o.Topic, o.Partition.Value), o => o.Offset.Value);
        Assert.That(committed, Is.EqualTo(recorded), "what the database committed, Kafka committed too");
        Assert.That(sink.Output, Does.Contain("stopped: batches in flight committed, consumer group left").And.Contain("Sink stopped (exit code 0)"));
    }

    [Test]
    public async Task Sigterm_WithABatchStuckOnTheDestination_ExitsAfterTheGracePeriod_AndNothingIsLost()
    {
        var name = TestEnvironment.UniqueName("stuck");
        using var events = new ChangeEvents(name);
        var (table, messages) = await StreamHistory.CreateAsync(_source, name, events, rows: 10);
        using var kafka = await KafkaChanges.CreateAsync(name, partitions: 1);
        kafka.Produce(messages);
        var config = SinkConfigs.For(_destination, name, ("task.shutdown.graceful.timeout.ms", "2000"));
        await using (var connection = new NpgsqlConnection(_destination.AdminConnectionString))
        {
            await connection.OpenAsync();
            // Another session holds the table's advisory lock (as a second sink process creating the table would): the
            // sink's first batch, past assignment, waits for it.
            await using (var command = new NpgsqlCommand("SELECT pg_catalog.pg_advisory_lock($1, pg_catalog.hashtext($2))", connection))
            {
                command.Parameters.Add(new NpgsqlParameter { Value = TableLocks.LockSpace });
                command.Parameters.Add(new NpgsqlParameter { Value = PgIdentifier.Quote(_destination.Schema, name) });
                await command.ExecuteNonQueryAsync();
            }
            await using var stuck = ConnectorProcess.StartSink(config);
            await Poll.UntilAsync(async () => (long)(await _destination.ScalarAsync(
                    $"SELECT count(*) FROM pg_stat_activity WHERE usename = '{_destination.User}' AND wait_event = 'advisory'"))! > 0,
                TimeSpan.FromSeconds(60), "the sink's batch to wait for the table's lock");

            Assert.That(await stuck.TerminateAsync(TimeSpan.FromSeconds(30)), Is.EqualTo(0), stuck.Output);
            Assert.That(stuck.Output, Does.Contain("did not stop within task.shutdown.graceful.timeout.ms=2000"));
        }

        await using var restarted = ConnectorProcess.StartSink(config);
        await _destination.WaitUntilAppliedAsync(config["group.id"], name);
        Assert.That(await _destination.RowTextsAsync(name), Is.EqualTo(await table.RowTextsAsync()), "the rolled-back batch was delivered again");
    }
}
