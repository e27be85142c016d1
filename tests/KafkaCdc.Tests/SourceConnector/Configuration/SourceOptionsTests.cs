using KafkaCdc.Shared.Configuration;
using KafkaCdc.Shared.Postgres;
using KafkaCdc.SourceConnector.Configuration;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace KafkaCdc.Tests.SourceConnector.Configuration;

public class SourceOptionsTests
{
    static Dictionary<string, string> Minimal() => new()
    {
        ["name"] = "orders",
        ["database.hostname"] = "db.example.com",
        ["database.user"] = "kafkacdc_user",
        ["database.password"] = "s3cret",
        ["database.dbname"] = "shop",
        ["kafka.bootstrap.servers"] = "localhost:9092",
        ["schema.registry.url"] = "http://localhost:8081",
    };

    static SourceOptions Read(Dictionary<string, string> values, Dictionary<string, string>? environment = null, Dictionary<string, string[]>? files = null) =>
        SourceOptions.Read(new ConfigReader(RawConfig.FromPairs(values), environment ?? []),
            path => files?.GetValueOrDefault(path) ?? throw new FileNotFoundException("no such file", path));

    static IReadOnlyList<string> Problems(Dictionary<string, string> values, Dictionary<string, string[]>? files = null)
    {
        var exception = Assert.Throws<ConfigException>(() => Read(values, files: files))!;
        return exception.Problems;
    }

    [Test]
    public void Read_MinimalConfig_AppliesTheIssuesDefaults()
    {
        var options = Read(Minimal());

        Assert.Multiple(() =>
        {
            Assert.That(options.Port, Is.EqualTo(5432));
            Assert.That(options.SslMode, Is.EqualTo(SslMode.Require));
            Assert.That(options.ReadOnly, Is.False);
            Assert.That(options.SlotName, Is.EqualTo("kafkacdc_slot"));
            Assert.That(options.PublicationName, Is.EqualTo("kafkacdc_pub"));
            Assert.That(options.PublicationAutocreateMode, Is.EqualTo(PublicationAutocreateMode.Filtered));
            Assert.That(options.Tables.IncludesEverything, Is.True);
            Assert.That(options.HeartbeatInterval, Is.EqualTo(TimeSpan.FromSeconds(10)));
            Assert.That(options.HeartbeatAction, Is.EqualTo(HeartbeatAction.Table));
            Assert.That(options.HeartbeatTable, Is.EqualTo(new TableName("kafkacdc", "kafkacdc_heartbeat")));
            Assert.That(options.SignalTable, Is.EqualTo(new TableName("kafkacdc", "kafkacdc_signal")));
            Assert.That(options.TopicNamer.TopicFor("shop", new TableName("public", "orders")), Is.EqualTo("shop_orders"));
            Assert.That(options.HeartbeatTopic, Is.EqualTo("__kafkacdc_heartbeat.orders"));
            Assert.That(options.AvroOptions, Is.EqualTo(PgAvroOptions.Default));
            Assert.That(options.TombstonesOnDelete, Is.True);
            Assert.That(options.RestPort, Is.EqualTo(8083));
            Assert.That(options.OffsetStorageTopic, Is.EqualTo("__kafkacdc_source_offsets"));
            Assert.That(options.OffsetFlushInterval, Is.EqualTo(TimeSpan.FromSeconds(1)));
            Assert.That(options.LogLevel, Is.EqualTo(LogLevel.Information));
            Assert.That(options.Effective["database.password"], Is.EqualTo("****"));
        });
    }

    [Test]
    public void Read_EveryProblem_ReportedTogetherEachNamingItsKey()
    {
        var problems = Problems(new Dictionary<string, string>
        {
            ["database.port"] = "70000",
            ["database.sslmode"] = "sometimes",
            ["slot.name"] = "Bad-Slot",
            ["heartbeat.action"] = "ping",
            ["binary.handling.mode"] = "octal",
            ["topic.name.format"] = "{db}_{table}",
            ["tombstones.on.delete"] = "maybe",
            ["kafka.acks"] = "1",
            ["kafka.no.such.property"] = "x",
            ["table.include.list"] = "a.b.c.d",
            ["databse.user"] = "typo",
        });

        Assert.That(problems, Has.Some.StartsWith("name:").And.Some.StartsWith("database.hostname:").And.Some.StartsWith("database.user:")
            .And.Some.StartsWith("database.dbname:").And.Some.StartsWith("schema.registry.url:").And.Some.StartsWith("kafka.bootstrap.servers:"));
        Assert.That(problems, Has.Some.StartsWith("database.port:").And.Some.StartsWith("database.sslmode:").And.Some.StartsWith("slot.name:")
            .And.Some.StartsWith("heartbeat.action:").And.Some.StartsWith("binary.handling.mode:").And.Some.StartsWith("topic.name.format:")
            .And.Some.StartsWith("tombstones.on.delete:").And.Some.StartsWith("kafka.acks:").And.Some.StartsWith("kafka.no.such.property:")
            .And.Some.StartsWith("table.include.list:"));
        Assert.That(problems, Has.Some.Contains("databse.user: unknown key; did you mean 'database.user'?"));
    }

    [Test]
    public void Read_ReadOnlyWithWritingHeartbeat_ExplainsThePgCronAlternative()
    {
        var values = Minimal();
        values["read.only"] = "true";
        values["heartbeat.action"] = "table";

        Assert.That(Problems(values), Has.One.StartsWith("heartbeat.action:").And.Contains("pg_cron"));
    }

    [Test]
    public void Read_ReadOnly_DefaultsToNoHeartbeatWritesAndNoPublicationChanges()
    {
        var values = Minimal();
        values["read.only"] = "true";

        var options = Read(values);

        Assert.That((options.HeartbeatAction, options.PublicationAutocreateMode), Is.EqualTo((HeartbeatAction.None, PublicationAutocreateMode.Disabled)));
    }

    [Test]
    public void Read_EnvironmentOverridesAndReferences_Resolved()
    {
        var values = Minimal();
        values["database.password"] = "${env:PG_SECRET}";

        var options = Read(values, new Dictionary<string, string> { ["PG_SECRET"] = "from-env", ["KCDC_SLOT_NAME"] = "env_slot" });

        Assert.That((options.Password, options.SlotName), Is.EqualTo(("from-env", "env_slot")));
    }

    [Test]
    public void Read_IncludeListAndFile_SchemasTablesAndQuotedNames()
    {
        var values = Minimal();
        values["table.include.list"] = "inventory, public.Orders, \"Sales\".\"Order.Items\"";
        values["table.include.file"] = "/tables.csv";
        var files = new Dictionary<string, string[]> { ["/tables.csv"] = ["billing,invoices", "", "\"Mixed Case\".t1", "archive"] };

        var filter = Read(values, files: files).Tables;

        Assert.That(filter.Schemas, Is.EquivalentTo(new[] { "inventory", "archive" }));
        Assert.That(filter.Tables, Is.EquivalentTo(new[]
        {
            new TableName("public", "orders"), new TableName("Sales", "Order.Items"), new TableName("billing", "invoices"), new TableName("Mixed Case", "t1"),
        }));
        Assert.That(filter.Includes(new TableName("inventory", "anything")), Is.True);
        Assert.That(filter.Includes(new TableName("public", "customers")), Is.False);
        Assert.That(filter.NamesExplicitly(new TableName("billing", "invoices")), Is.True);
    }

    [TestCase(null, nameof(SnapshotOnSchemaChange.Incremental))]
    [TestCase("incremental", nameof(SnapshotOnSchemaChange.Incremental))]
    [TestCase("OFF", nameof(SnapshotOnSchemaChange.Off))]
    public void Read_SnapshotOnSchemaChange_IncrementalByDefault(string? value, string expected)
    {
        var values = Minimal();
        if (value is not null) values["snapshot.on.schema.change"] = value;

        Assert.That(Read(values).Snapshot.OnSchemaChange.ToString(), Is.EqualTo(expected));
    }

    [Test]
    public void Read_SnapshotOnSchemaChangeUnknown_NamesTheKeyAndTheChoices()
    {
        var values = Minimal();
        values["snapshot.on.schema.change"] = "always";

        Assert.That(Problems(values), Has.One.StartsWith("snapshot.on.schema.change:").And.Contains("always").And.Contains("incremental, off"));
    }

    [Test]
    public void Read_IncludeFileMissing_IsAProblem()
    {
        var values = Minimal();
        values["table.include.file"] = "/missing.csv";

        Assert.That(Problems(values), Has.One.StartsWith("table.include.file: cannot read '/missing.csv'"));
    }

    [TestCase("{database}_{table}", "shop", "public", "Order Items", "shop_Order_Items")]
    [TestCase("{database}.{schema}.{table}", "shop", "Sales €", "orders", "shop.Sales__.orders")]
    [TestCase("cdc-{table}", "shop", "public", "naïve😀", "cdc-na_ve_")]
    public void TopicFor_CharactersKafkaRejects_BecomeUnderscores(string format, string database, string schema, string table, string expected) =>
        Assert.That(new TopicNamer(format).TopicFor(database, new TableName(schema, table)), Is.EqualTo(expected));

    [Test]
    public void PoolerHost_IsRecognised()
    {
        var values = Minimal();
        values["database.hostname"] = "ep-cool-darkness-123456-pooler.us-east-2.aws.neon.tech";

        var options = Read(values);

        Assert.That(options.IsPoolerHost, Is.True);
        Assert.That(options.PoolerRefusal, Does.Contain("replication").And.Contain("PgBouncer"));
    }
}
