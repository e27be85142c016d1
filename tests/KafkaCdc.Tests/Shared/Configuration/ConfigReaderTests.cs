using KafkaCdc.Shared.Configuration;
using Microsoft.Extensions.Logging;

namespace KafkaCdc.Tests.Shared.Configuration;

public class ConfigReaderTests
{
    enum Mode { Filtered, AllTables, Disabled }

    static ConfigReader Reader(string json, Dictionary<string, string>? environment = null, Func<string, string>? readFile = null) =>
        new(RawConfig.Parse(json), environment ?? [], readFile);

    [Test]
    public void TypedValues_FromFile_AreRead()
    {
        var reader = Reader("""{"database.port": 6543, "read.only": true, "mode": "all_tables", "list": " a, b ,,c "}""");

        Assert.Multiple(() =>
        {
            Assert.That(reader.Int("database.port", 5432), Is.EqualTo(6543));
            Assert.That(reader.Bool("read.only", false), Is.True);
            Assert.That(reader.Enum("mode", Mode.Filtered), Is.EqualTo(Mode.AllTables));
            Assert.That(reader.List("list"), Is.EqualTo(new[] { "a", "b", "c" }));
            Assert.That(reader.String("missing", "fallback"), Is.EqualTo("fallback"));
        });
        Assert.DoesNotThrow(reader.ThrowIfProblems);
    }

    [Test]
    public void IsSet_SeesFileAndEnvironment_WithoutListingTheKey()
    {
        var reader = Reader("""{"ssh.host": "bastion", "ssh.user": ""}""", new() { ["KCDC_SSH_PORT"] = "2222" });

        Assert.Multiple(() =>
        {
            Assert.That(reader.IsSet("ssh.host"), Is.True);
            Assert.That(reader.IsSet("ssh.port"), Is.True);
            Assert.That(reader.IsSet("ssh.user"), Is.False, "an empty value is unset");
            Assert.That(reader.IsSet("ssh.missing"), Is.False);
            Assert.That(reader.Effective, Is.Empty);
        });
        Assert.DoesNotThrow(reader.ThrowIfProblems, "keys asked about are not unknown");
    }

    [TestCase(null, LogLevel.Information)]
    [TestCase("trace", LogLevel.Trace)]
    [TestCase("DEBUG", LogLevel.Debug)]
    [TestCase("info", LogLevel.Information)]
    [TestCase("information", LogLevel.Information)]
    [TestCase(" warn ", LogLevel.Warning)]
    [TestCase("Warning", LogLevel.Warning)]
    [TestCase("error", LogLevel.Error)]
    [TestCase("critical", LogLevel.Critical)]
    [TestCase("none", LogLevel.None)]
    public void LogLevel_AcceptsTheShortAndTheLongNames(string? text, LogLevel expected)
    {
        var reader = Reader(text is null ? "{}" : $$"""{"log.level": "{{text}}"}""");

        Assert.That(reader.LogLevel("log.level"), Is.EqualTo(expected));
        Assert.DoesNotThrow(reader.ThrowIfProblems);
    }

    [Test]
    public void LogLevel_Unknown_IsAProblemNamingTheKeyAndTheChoices()
    {
        var reader = Reader("""{"log.level": "loud"}""");

        Assert.That(reader.LogLevel("log.level"), Is.EqualTo(LogLevel.Information));
        var error = Assert.Throws<ConfigException>(reader.ThrowIfProblems)!;
        Assert.That(error.Problems, Has.Some.EqualTo("log.level: 'loud' is not one of: trace, debug, info, warn, error, critical, none"));
    }

    [Test]
    public void EnvironmentVariable_OverridesFileValue()
    {
        var reader = Reader("""{"database.hostname": "file-host"}""", new() { ["KCDC_DATABASE_HOSTNAME"] = "env-host" });

        Assert.That(reader.RequiredString("database.hostname"), Is.EqualTo("env-host"));
    }

    [Test]
    public void References_ToEnvironmentAndFile_AreResolved()
    {
        var reader = Reader(
            """{"database.password": "${env:DB_PASSWORD}", "schema.registry.basic.auth.user.info": "user:${file:/secrets/registry}"}""",
            new() { ["DB_PASSWORD"] = "s3cret" },
            path => path == "/secrets/registry" ? "hunter2\n" : throw new FileNotFoundException(path));

        Assert.Multiple(() =>
        {
            Assert.That(reader.String("database.password"), Is.EqualTo("s3cret"));
            Assert.That(reader.String("schema.registry.basic.auth.user.info"), Is.EqualTo("user:hunter2"));
            Assert.That(reader.Effective["database.password"], Is.EqualTo("****"));
        });
    }

    [Test]
    public void EveryProblem_IsReportedTogether_EachNamingItsKey()
    {
        var reader = Reader("""{"database.port": "abc", "heartbeat.interval.ms": -5, "mode": "sometimes", "databse.user": "x", "nested": {"a": 1}}""");
        reader.Int("database.port", 5432, 1, 65535);
        reader.Long("heartbeat.interval.ms", 10000, min: 0);
        reader.Enum("mode", Mode.Filtered);
        reader.RequiredString("database.user");
        reader.RequiredString("database.hostname");

        var error = Assert.Throws<ConfigException>(reader.ThrowIfProblems)!;

        Assert.That(error.Problems, Has.Count.EqualTo(7));
        Assert.That(error.Message, Does.Contain("database.port: 'abc' is not an integer")
            .And.Contain("heartbeat.interval.ms: -5 is out of range; allowed: at least 0")
            .And.Contain("mode: 'sometimes' is not one of: filtered, all_tables, disabled")
            .And.Contain("database.user: is required")
            .And.Contain("database.hostname: is required")
            .And.Contain("databse.user: unknown key; did you mean 'database.user'?")
            .And.Contain("nested: must be a string, number or boolean"));
    }

    [Test]
    public void SecretValue_NeverAppearsInProblems()
    {
        var reader = Reader("""{"kafka.sasl.password": "topsecret", "database.password": "alsosecret"}""");
        reader.Int("database.password", 0);

        var error = Assert.Throws<ConfigException>(reader.ThrowIfProblems)!;

        Assert.That(error.Message, Does.Contain("database.password").And.Not.Contain("alsosecret").And.Not.Contain("topsecret"));
    }

    [Test]
    public void MissingReference_IsAProblemNamingKeyAndVariable()
    {
        var reader = Reader("""{"database.password": "${env:NOT_SET_ANYWHERE}"}""");
        reader.String("database.password");

        var error = Assert.Throws<ConfigException>(reader.ThrowIfProblems)!;

        Assert.That(error.Problems, Is.EqualTo(new[] { "database.password: references environment variable NOT_SET_ANYWHERE, which is not set" }));
    }

    [Test]
    public void WithPrefix_CollectsFileAndEnvironmentKeys_WithoutPrefix()
    {
        var reader = Reader("""{"kafka.security.protocol": "SASL_SSL", "kafka.sasl.mechanism": "PLAIN"}""",
            new() { ["KCDC_KAFKA_SASL_USERNAME"] = "alice", ["KCDC_KAFKA_SASL_MECHANISM"] = "SCRAM-SHA-512" });

        var passThrough = reader.WithPrefix("kafka.");

        Assert.That(passThrough, Is.EquivalentTo(new Dictionary<string, string>
        {
            ["security.protocol"] = "SASL_SSL",
            ["sasl.mechanism"] = "SCRAM-SHA-512",
            ["sasl.username"] = "alice",
        }));
        Assert.DoesNotThrow(reader.ThrowIfProblems);
    }

    [Test]
    public void Parse_NotAnObject_FailsWithOrigin()
    {
        var error = Assert.Throws<ConfigException>(() => RawConfig.Parse("[1,2]", "source.json"))!;

        Assert.That(error.Message, Does.Contain("source.json").And.Contain("one JSON object"));
    }

    [Test]
    public void Load_MissingFile_FailsNamingThePath()
    {
        var error = Assert.Throws<ConfigException>(() => RawConfig.Load("/nonexistent/source.json"))!;

        Assert.That(error.Message, Does.Contain("/nonexistent/source.json"));
    }
}
