using KafkaCdc.Shared.Configuration;
using KafkaCdc.Shared.Hosting;
using KafkaCdc.SourceConnector.Check;
using KafkaCdc.SourceConnector.Configuration;

namespace KafkaCdc.Tests.SourceConnector.Check;

/// <summary><c>check</c> on misconfigured databases: one FAIL line naming each problem and what to do, exit code 3.</summary>
public class CheckCommandTests
{
    static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);

    [Test]
    public async Task Check_MisconfiguredDatabase_NamesEachFailure()
    {
        await using var database = await SourceTestDatabase.CreateAsync("check", """
            CREATE TABLE nokey (a integer, b text);
            CREATE TABLE keyed (id integer PRIMARY KEY);
            """);
        await using var role = await TestRole.CreateAsync(database, "check_user");
        var config = role.Apply(database.Config());
        config["publication.autocreate.mode"] = "disabled";
        config["heartbeat.action"] = "table";
        config["table.include.list"] = "public";

        var (exitCode, output) = await ConnectorProcess.RunSourceAsync(config, "check", s_timeout);

        Assert.That(exitCode, Is.EqualTo(ConnectorCommandLine.CheckFailedExitCode), output);
        var failures = output.Split('\n').Where(l => l.StartsWith("FAIL", StringComparison.Ordinal)).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(failures, Has.One.Contains("REPLICATION attribute").And.Contains($"ALTER ROLE \"{role.Name}\" WITH REPLICATION"));
            Assert.That(failures, Has.One.Contains("publication:").And.Contains($"'{database.PublicationName}' does not exist"));
            Assert.That(failures, Has.One.Contains("captured tables").And.Contains("\"public\".\"nokey\"").And.Contains("ALTER PUBLICATION"));
            Assert.That(failures, Has.One.Contains("replica identity").And.Contains("ALTER TABLE \"public\".\"nokey\" REPLICA IDENTITY FULL"));
            Assert.That(failures, Has.One.Contains("SELECT privilege").And.Contains("GRANT SELECT"));
            Assert.That(failures, Has.One.Contains("heartbeat table").And.Contains("does not exist"));
            Assert.That(failures, Has.One.Contains("signal table").And.Contains("does not exist"));
            Assert.That(failures, Has.One.Contains("replication slot").And.Contains("REPLICATION"));
            Assert.That(output, Does.Contain("PASS  wal_level: logical").And.Contain("PASS  Kafka").And.Contain("PASS  schema registry"));
            Assert.That(output, Does.Contain("8 of "));
        });
    }

    [Test]
    public async Task Check_PublicationMissingATableAndTheHeartbeatTable_NamesThem()
    {
        await using var database = await SourceTestDatabase.CreateAsync("checkpub", """
            CREATE TABLE orders (id integer PRIMARY KEY);
            CREATE TABLE customers (id integer PRIMARY KEY);
            CREATE SCHEMA kafkacdc;
            CREATE TABLE kafkacdc.kafkacdc_heartbeat (id SERIAL PRIMARY KEY, text TEXT, last_update TIMESTAMP DEFAULT CURRENT_TIMESTAMP);
            CREATE TABLE kafkacdc.kafkacdc_signal (id VARCHAR(255) PRIMARY KEY, type VARCHAR(32) NOT NULL, data VARCHAR(2000) NULL);
            """);
        await database.ExecuteAsync($"CREATE PUBLICATION \"{database.PublicationName}\" FOR TABLE customers, kafkacdc.kafkacdc_signal");
        var config = database.Config();
        config["publication.autocreate.mode"] = "disabled";
        config["heartbeat.action"] = "table";
        config["table.include.list"] = "public.orders, public.customers, public.missing";

        var results = await CheckAsync(config);

        Assert.That(Failure(results, "captured tables"), Does.Contain("\"public\".\"missing\""));
        config["table.include.list"] = "public.orders, public.customers";
        results = await CheckAsync(config);
        Assert.That(Failure(results, "captured tables"), Does.Contain("lacks \"public\".\"orders\"").And.Not.Contain("customers"));
        Assert.That(Failure(results, "heartbeat table"), Does.Contain("is not in publication"));
        Assert.That(results.Single(r => r.Item == "signal table").Passed, Is.True);
    }

    [Test]
    public async Task Check_ChangesTheDestinationCannotReproduce_AreNamedWithTheFix()
    {
        await using var database = await SourceTestDatabase.CreateAsync("checkrepro", """
            CREATE TABLE by_index (id integer PRIMARY KEY, code text NOT NULL UNIQUE);
            ALTER TABLE by_index REPLICA IDENTITY USING INDEX by_index_code_key;
            CREATE TABLE fine (id integer PRIMARY KEY);
            CREATE TABLE keyless_full (a integer);
            ALTER TABLE keyless_full REPLICA IDENTITY FULL;
            """);
        await database.ExecuteAsync($"CREATE PUBLICATION \"{database.PublicationName}\" FOR ALL TABLES WITH (publish = 'insert, update')");
        var config = database.Config();
        config["publication.autocreate.mode"] = "disabled";

        var results = await CheckAsync(config);

        Assert.That(Failure(results, "old row images"), Does.Contain("\"public\".\"by_index\"").And.Contain("ALTER TABLE \"public\".\"by_index\" REPLICA IDENTITY DEFAULT")
            .And.Not.Contain("fine").And.Not.Contain("keyless_full"));
        Assert.That(Failure(results, "published operations"), Does.Contain("does not publish delete, truncate").And.Contain("SET (publish = 'insert, update, delete, truncate')"));

        await database.ExecuteAsync($"ALTER TABLE by_index REPLICA IDENTITY DEFAULT; ALTER PUBLICATION \"{database.PublicationName}\" SET (publish = 'insert, update, delete, truncate')");
        results = await CheckAsync(config);
        Assert.That(results.Where(r => r.Item is "old row images" or "published operations" or "replica identity").Select(r => r.Passed), Is.EqualTo(new[] { true, true, true }));
    }

    [Test]
    public async Task Check_PoolerHost_FailsExplainingWhy()
    {
        await using var database = await SourceTestDatabase.CreateAsync("checkpooler");
        var config = database.Config();
        config["database.hostname"] = "ep-x-123-pooler.us-east-2.aws.neon.tech";

        var results = await CheckAsync(config);

        Assert.That(Failure(results, "database host"), Does.Contain("PgBouncer").And.Contain("replication"));
    }

    static Task<IReadOnlyList<CheckResult>> CheckAsync(Dictionary<string, string> config) =>
        PrerequisiteCheck.CheckAsync(SourceOptions.Read(new ConfigReader(RawConfig.FromPairs(config), new Dictionary<string, string>())), CancellationToken.None);

    static string Failure(IReadOnlyList<CheckResult> results, string item)
    {
        var result = results.Single(r => r.Item == item);
        Assert.That(result.Passed, Is.False, $"{item} should fail: {result}");
        return result.Detail;
    }
}
