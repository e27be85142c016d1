using KafkaCdc.Shared.Configuration;
using KafkaCdc.Shared.Postgres;
using Npgsql;

namespace KafkaCdc.Tests.Shared.Postgres;

public class PgConnectionSettingsTests
{
    static readonly PgConnectionKeys s_keys = PgConnectionKeys.WithTlsPrefix("c.", "c.hostname", "c.port", "c.user", "c.password", "c.dbname");

    static ConfigReader Reader(string json) => new(RawConfig.Parse(json), new Dictionary<string, string>());

    [Test]
    public void Read_TakesEachValueFromItsKey_AndDefaultsPortAndSslMode()
    {
        var reader = Reader("""{"c.hostname": "db", "c.user": "u", "c.password": "secret", "c.dbname": "shop"}""");

        var settings = PgConnectionSettings.Read(reader, s_keys);

        Assert.DoesNotThrow(reader.ThrowIfProblems);
        Assert.That(settings, Is.EqualTo(new PgConnectionSettings("db", 5432, "u", "secret", "shop", SslMode.Require) { Keys = s_keys }));
    }

    [TestCase("disable", SslMode.Disable)]
    [TestCase("allow", SslMode.Allow)]
    [TestCase("prefer", SslMode.Prefer)]
    [TestCase("require", SslMode.Require)]
    [TestCase("verify-ca", SslMode.VerifyCA)]
    [TestCase("Verify_Full", SslMode.VerifyFull)]
    [TestCase(" verify-full ", SslMode.VerifyFull)]
    public void Read_SslMode_InLibpqWords(string text, SslMode expected)
    {
        var reader = Reader($$"""{"c.hostname": "db", "c.user": "u", "c.dbname": "shop", "c.sslmode": "{{text}}"}""");

        Assert.That(PgConnectionSettings.Read(reader, s_keys).SslMode, Is.EqualTo(expected));
        Assert.DoesNotThrow(reader.ThrowIfProblems);
    }

    [Test]
    public void Read_ReportsEveryProblemUnderItsKey()
    {
        var reader = Reader("""{"c.port": 70000, "c.sslmode": "sometimes"}""");

        PgConnectionSettings.Read(reader, s_keys);

        var error = Assert.Throws<ConfigException>(reader.ThrowIfProblems)!;
        Assert.That(error.Problems, Has.Some.StartsWith("c.hostname:").And.Some.StartsWith("c.user:").And.Some.StartsWith("c.dbname:")
            .And.Some.StartsWith("c.port:")
            .And.Some.EqualTo("c.sslmode: 'sometimes' is not one of: disable, allow, prefer, require, verify-ca, verify-full"));
    }

    [Test]
    public void Builder_CarriesTheSettings_AndTheTextNeverShowsThePassword()
    {
        var settings = new PgConnectionSettings("db", 6543, "u", "hunter2", "shop", SslMode.VerifyFull);

        var builder = settings.Builder("kafkacdc-test");

        Assert.Multiple(() =>
        {
            Assert.That((builder.Host, builder.Port, builder.Username, builder.Password, builder.Database, builder.SslMode, builder.ApplicationName),
                Is.EqualTo(("db", 6543, "u", "hunter2", "shop", SslMode.VerifyFull, "kafkacdc-test")));
            Assert.That(settings.Display, Is.EqualTo("u@db:6543/shop"));
            Assert.That(settings.ToString(), Does.Not.Contain("hunter2"));
        });
    }
}
