using KafkaCdc.Shared.Configuration;
using KafkaCdc.Shared.Failures;
using KafkaCdc.SourceConnector;
using KafkaCdc.SourceConnector.Configuration;
using KafkaCdc.SourceConnector.Replication;

namespace KafkaCdc.Tests.SourceConnector.Replication;

/// <summary>The one list of server requirements that <c>check</c> prints and start-up refuses with.</summary>
public class ServerRequirementsTests
{
    static SourceOptions Options(params (string Key, string Value)[] extra)
    {
        var values = new Dictionary<string, string>
        {
            ["name"] = "orders",
            ["database.hostname"] = "db.example.com",
            ["database.user"] = "kafkacdc_user",
            ["database.password"] = "s3cret",
            ["database.dbname"] = "shop",
            ["kafka.bootstrap.servers"] = "localhost:9092",
            ["schema.registry.url"] = "http://localhost:8081",
        };
        foreach (var (key, value) in extra) values[key] = value;
        return SourceOptions.Read(new ConfigReader(RawConfig.FromPairs(values), new Dictionary<string, string>()));
    }

    static ServerInfo Server(int major, string walLevel = "logical", bool replication = true, bool standby = false) =>
        new(major * 10000 + 4, $"{major}.4", walLevel, "kafkacdc_user", false, replication, true, 10, 0, standby);

    static ServerRequirement Version(ServerInfo server, SourceOptions options) =>
        ServerRequirements.Evaluate(server, options).Single(r => r.Item == "PostgreSQL version");

    [TestCase(9, false, "logical replication with pgoutput needs PostgreSQL 10 or later")]
    [TestCase(10, true, null)]
    [TestCase(15, true, null)]
    public void Version_Plain(int major, bool met, string? need)
    {
        var version = Version(Server(major), Options());
        Assert.That(version.Met, Is.EqualTo(met));
        if (need is not null) Assert.That(version.Detail, Is.EqualTo($"{need}; the server runs {major}.4"));
    }

    [TestCase(12, false)]
    [TestCase(13, true)]
    public void Version_ReadOnly_Needs13(int major, bool met) =>
        Assert.That(Version(Server(major), Options(("read.only", "true"))).Met, Is.EqualTo(met));

    [TestCase(13, false)]
    [TestCase(14, true)]
    public void Version_LogicalMessageHeartbeat_Needs14(int major, bool met)
    {
        var version = Version(Server(major), Options(("heartbeat.action", "logical_message")));
        Assert.That(version.Met, Is.EqualTo(met));
        if (!met) Assert.That(version.Detail, Does.StartWith("heartbeat.action=logical_message needs PostgreSQL 14 or later"));
    }

    [TestCase(15, false)]
    [TestCase(16, true)]
    public void Version_Standby_Needs16(int major, bool met) =>
        Assert.That(Version(Server(major, standby: true), Options()).Met, Is.EqualTo(met));

    [Test]
    public void Evaluate_AllMet_ListsEachRequirementOnce()
    {
        var requirements = ServerRequirements.Evaluate(Server(15), Options());
        Assert.That(requirements.Select(r => (r.Item, r.Met)),
            Is.EqualTo(new[] { ("PostgreSQL version", true), ("wal_level", true), ("REPLICATION attribute", true) }));
        Assert.DoesNotThrow(() => ServerRequirements.ThrowIfUnmet(Server(15), Options()));
    }

    [Test]
    public void ThrowIfUnmet_NamesEveryUnmetRequirementAndTheRemedy_Permanently()
    {
        var refusal = Assert.Throws<SourceConnectorException>(() =>
            ServerRequirements.ThrowIfUnmet(Server(13, walLevel: "replica", replication: false), Options(("heartbeat.action", "logical_message"))))!;
        Assert.Multiple(() =>
        {
            Assert.That(refusal.Kind, Is.EqualTo(FailureKind.Permanent));
            Assert.That(refusal.Message, Does.Contain("heartbeat.action=logical_message needs PostgreSQL 14 or later"));
            Assert.That(refusal.Message, Does.Contain("wal_level: 'replica'").And.Contain("ALTER SYSTEM SET wal_level = logical"));
            Assert.That(refusal.Message, Does.Contain("REPLICATION attribute").And.Contain("ALTER ROLE \"kafkacdc_user\" WITH REPLICATION;"));
        });
    }
}
