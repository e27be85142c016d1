using KafkaCdc.Shared.Configuration;
using KafkaCdc.SinkConnector.Configuration;
using KafkaCdc.SinkConnector.Consuming;
using Npgsql;

namespace KafkaCdc.Tests.SinkConnector.Configuration;

public class SinkOptionsTests
{
    static Dictionary<string, string> Minimal() => new()
    {
        ["name"] = "orders",
        ["topics"] = "shop_orders, shop_lines",
        ["connection.hostname"] = "db.example",
        ["connection.username"] = "kafkacdc_user",
        ["connection.password"] = "s3cret-pa55",
        ["connection.database"] = "warehouse",
        ["kafka.bootstrap.servers"] = "localhost:9092",
        ["schema.registry.url"] = "http://localhost:8081",
    };

    static SinkOptions Read(Dictionary<string, string> config, Dictionary<string, string>? environment = null) =>
        SinkOptions.Read(new ConfigReader(RawConfig.FromPairs(config), environment ?? []));

    [Test]
    public void Defaults_FollowTheIssue()
    {
        var options = Read(Minimal());

        Assert.Multiple(() =>
        {
            Assert.That(options.Topics, Is.EqualTo(new[] { "shop_orders", "shop_lines" }));
            Assert.That(options.SchemaName, Is.EqualTo("public"));
            Assert.That(options.InsertMode, Is.EqualTo(InsertMode.Upsert));
            Assert.That(options.DeleteEnabled, Is.True);
            Assert.That(options.TruncateEnabled, Is.True);
            Assert.That(options.SchemaEvolution, Is.EqualTo(SchemaEvolutionMode.Basic));
            Assert.That(options.PrimaryKeyMode, Is.EqualTo(PrimaryKeyMode.RecordKey));
            Assert.That(options.TableNameFormat.ToString(), Is.EqualTo("${topic}"));
            Assert.That(options.TasksMax, Is.EqualTo(1));
            Assert.That(options.BatchSize, Is.EqualTo(10_000));
            Assert.That(options.BatchLinger, Is.EqualTo(TimeSpan.FromMilliseconds(200)));
            Assert.That(options.ErrorTolerance, Is.EqualTo(ErrorTolerance.None));
            Assert.That(options.GroupId, Is.EqualTo("kafkacdc-sink-orders"));
            Assert.That(options.RestPort, Is.EqualTo(8084));
            var connection = new NpgsqlConnectionStringBuilder(options.ConnectionString);
            Assert.That((connection.Host, connection.Port, connection.SslMode), Is.EqualTo(("db.example", 5432, SslMode.Require)));
            Assert.That(connection.Options, Is.Null, "no startup options: a transaction-mode pooler refuses them; the settings are set per transaction");
            Assert.That(connection.MaxAutoPrepare, Is.Zero, "no prepared statements: they would not outlive a pooled transaction");
        });
    }

    [Test]
    public void TheTasksConsumer_ChangesLibrdkafkaDefaults_UnlessKafkaKeysSetThem()
    {
        var defaults = TaskConsumerConfig.For(Read(Minimal()), taskId: 1);
        var withOverrides = Minimal();
        withOverrides["kafka.fetch.queue.backoff.ms"] = "1000";
        withOverrides["kafka.queued.max.messages.kbytes"] = "65536";
        withOverrides["kafka.auto.offset.reset"] = "latest";
        var overridden = TaskConsumerConfig.For(Read(withOverrides), taskId: 1);

        Assert.Multiple(() =>
        {
            // librdkafka's own 1000 ms stalled a task for up to a second whenever it had drained a full prefetch queue
            // (SinkBench insert, one task: about 100k records/s with it, 122-137k without).
            Assert.That(defaults.FetchQueueBackoffMs, Is.EqualTo(50));
            Assert.That(defaults.QueuedMaxMessagesKbytes, Is.EqualTo(16 * 1024));
            Assert.That(defaults.AutoOffsetReset, Is.EqualTo(Confluent.Kafka.AutoOffsetReset.Earliest));
            Assert.That(defaults.ClientId, Is.EqualTo("kafkacdc-sink-orders-1"));
            Assert.That(defaults.GroupId, Is.EqualTo("kafkacdc-sink-orders"));
            Assert.That(defaults.EnableAutoCommit, Is.False);
            Assert.That(overridden.FetchQueueBackoffMs, Is.EqualTo(1000));
            Assert.That(overridden.QueuedMaxMessagesKbytes, Is.EqualTo(65536));
            Assert.That(overridden.AutoOffsetReset, Is.EqualTo(Confluent.Kafka.AutoOffsetReset.Latest));
        });
    }

    [TestCase(null, "topic,headers")]
    [TestCase("topic", "topic,headers")]
    [TestCase("none", "headers")]
    [TestCase("all", "all")]
    [TestCase("topic,timestamp,headers", "topic,timestamp,headers")]
    public void TheTasksConsumer_AlwaysMarshalsHeaders_TheSourcePositionIsOne(string? configured, string expected)
    {
        // Without the headers the sink saw no kafkacdc.position and applied the source's replays again:
        // CrashReplayPipelineTests found 127 duplicate rows in a keyless table.
        var config = Minimal();
        if (configured is not null) config["kafka.dotnet.consumer.consume.result.fields"] = configured;

        Assert.That(TaskConsumerConfig.For(Read(config), taskId: 1).Get("dotnet.consumer.consume.result.fields"), Is.EqualTo(expected));
    }

    [Test]
    public void EveryProblem_IsReportedAtOnce_EachNamingItsKey_WithoutSecrets()
    {
        var config = Minimal();
        config.Remove("name");
        config["topics.regex"] = "shop_.*";
        config["connection.sslmode"] = "sometimes";
        config["insert.mode"] = "merge";
        config["primary.key.mode"] = "record_value";
        config["tasks.max"] = "0";
        config["table.name.format"] = "${source.db}_${table}";
        config["errors.deadletterqueue.topic.name"] = "dlq";
        config["kafka.group.id"] = "mine";
        config["kafka.enable.auto.commit"] = "true";
        config["batch.sise"] = "5";
        config["connection.password"] = "${env:MISSING_SECRET}";

        var problems = Assert.Throws<ConfigException>(() => Read(config))!.Problems;

        Assert.That(problems, Has.Some.StartsWith("name: is required"));
        Assert.That(problems, Has.Some.StartsWith("topics: set either topics or topics.regex"));
        Assert.That(problems, Has.Some.StartsWith("connection.sslmode: 'sometimes' is not one of"));
        Assert.That(problems, Has.Some.StartsWith("insert.mode: 'merge' is not one of: upsert, insert"));
        Assert.That(problems, Has.Some.StartsWith("primary.key.fields: is required with primary.key.mode=record_value"));
        Assert.That(problems, Has.Some.StartsWith("tasks.max: 0 is out of range"));
        Assert.That(problems, Has.Some.StartsWith("table.name.format: unknown placeholders ${source.db}, ${table}"));
        Assert.That(problems, Has.Some.StartsWith("errors.deadletterqueue.topic.name: is only used with errors.tolerance=all"));
        Assert.That(problems, Has.Some.StartsWith("kafka.group.id: set the consumer group with group.id"));
        Assert.That(problems, Has.Some.StartsWith("kafka.enable.auto.commit: set by the connector itself"));
        Assert.That(problems, Has.Some.StartsWith("batch.sise: unknown key; did you mean 'batch.size'?"));
        Assert.That(problems, Has.Some.StartsWith("connection.password: references environment variable MISSING_SECRET"));
        Assert.That(problems, Has.Count.EqualTo(12));
    }

    [Test]
    public void SecretsNeverAppear_InProblemsOrTheEffectiveSettings()
    {
        var config = Minimal();
        config["connection.port"] = "not-a-port";
        var message = Assert.Throws<ConfigException>(() => Read(config))!.Message;
        Assert.That(message, Does.Contain("connection.port").And.Not.Contain("s3cret-pa55"));

        var options = Read(Minimal(), new Dictionary<string, string> { ["KCDC_CONNECTION_PASSWORD"] = "from-env-pa55" });

        Assert.That(options.Effective["connection.password"], Is.EqualTo("****"));
        Assert.That(new NpgsqlConnectionStringBuilder(options.ConnectionString).Password, Is.EqualTo("from-env-pa55"), "KCDC_<KEY> overrides the file");
        Assert.That(options.ConnectionDisplay, Does.Not.Contain("pa55"));
    }

    [Test]
    public void TopicsRegex_AndDeadLetterTopic_AreChecked()
    {
        var config = Minimal();
        config.Remove("topics");
        config["topics.regex"] = "shop_(orders";
        var problem = Assert.Throws<ConfigException>(() => Read(config))!.Problems.Single();
        Assert.That(problem, Does.StartWith("topics.regex: 'shop_(orders' is not a valid regular expression"));

        config["topics.regex"] = "shop_.*";
        config["errors.tolerance"] = "all";
        config["errors.deadletterqueue.topic.name"] = "shop_dlq";
        problem = Assert.Throws<ConfigException>(() => Read(config))!.Problems.Single();
        Assert.That(problem, Is.EqualTo("errors.deadletterqueue.topic.name: 'shop_dlq' is one of the topics the sink reads"));

        config["errors.deadletterqueue.topic.name"] = "dead_letters";
        Assert.That(SinkOptions.Anchored(Read(config).TopicsRegex!), Is.EqualTo("^shop_.*"));
    }

    [Test]
    public void ErrorsOffsetGap_StopsByDefault_TakesSkip_AndRefusesAnythingElse()
    {
        Assert.That(Read(Minimal()).OffsetGap, Is.EqualTo(OffsetGapHandling.Stop));
        var config = Minimal();
        config["errors.offset.gap"] = "skip";
        Assert.That(Read(config).OffsetGap, Is.EqualTo(OffsetGapHandling.Skip));

        config["errors.offset.gap"] = "earliest";
        var problem = Assert.Throws<ConfigException>(() => Read(config))!.Problems.Single();
        Assert.That(problem, Does.StartWith("errors.offset.gap:").And.EndWith("is not one of: stop, skip"));
    }
}
