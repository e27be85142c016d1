using KafkaCdc.Shared.Postgres;
using Npgsql;

namespace KafkaCdc.Tests.Shared.Postgres;

public class PgSessionSettingsTests
{
    [Test]
    public void Pin_ConnectionStringWithOptions_AppendsTheSettings()
    {
        var pinned = new NpgsqlConnectionStringBuilder(PgSessionSettings.Pin("Host=h;Options=-c search_path=app"));
        Assert.That(pinned.Options, Is.EqualTo("-c search_path=app " + PgSessionSettings.Options));
    }

    [Test]
    public void Options_NamesEverySetting() =>
        Assert.That(PgSessionSettings.Settings.Select(s => $"-c {s.Key}={s.Value}"), Is.EqualTo(PgSessionSettings.Options.Split(" -c ").Select((p, i) => i == 0 ? p : "-c " + p)));
}
