using KafkaCdc.Shared.Configuration;
using KafkaCdc.SinkConnector.Configuration;

namespace KafkaCdc.Tests.SinkConnector.Configuration;

/// <summary><c>delete.mode</c>, its alias <c>delete.enabled</c>, and the soft-delete column names.</summary>
public class DeleteModeTests
{
    static SinkOptions Read(params (string Key, string Value)[] settings)
    {
        var config = new Dictionary<string, string>
        {
            ["name"] = "orders",
            ["topics"] = "shop_orders",
            ["connection.hostname"] = "db.example",
            ["connection.username"] = "kafkacdc_user",
            ["connection.database"] = "warehouse",
            ["kafka.bootstrap.servers"] = "localhost:9092",
            ["schema.registry.url"] = "http://localhost:8081",
        };
        foreach (var (key, value) in settings) config[key] = value;
        return SinkOptions.Read(new ConfigReader(RawConfig.FromPairs(config), new Dictionary<string, string>()));
    }

    static IReadOnlyList<string> Problems(params (string Key, string Value)[] settings) =>
        Assert.Throws<ConfigException>(() => Read(settings))!.Problems;

    [Test]
    public void Default_IsHard_WithTheUsualColumnNames()
    {
        var options = Read();

        Assert.That((options.DeleteMode, options.DeleteEnabled, options.SoftDeleteColumns), Is.EqualTo((DeleteMode.Hard, true, ("__deleted", "__deleted_at"))));
        Assert.That(options.Effective["delete.mode"], Is.EqualTo("hard"));
        Assert.That(options.Effective["delete.enabled"], Is.EqualTo("true"));
    }

    [TestCase("delete.enabled", "false", DeleteMode.None)]
    [TestCase("delete.enabled", "true", DeleteMode.Hard)]
    [TestCase("delete.mode", "none", DeleteMode.None)]
    [TestCase("delete.mode", "SOFT", DeleteMode.Soft)]
    public void DeleteEnabled_IsAnAliasOfDeleteMode(string key, string value, DeleteMode mode)
    {
        var options = Read((key, value));

        Assert.That(options.DeleteMode, Is.EqualTo(mode));
        Assert.That(options.DeleteEnabled, Is.EqualTo(mode != DeleteMode.None));
    }

    [TestCase("true", "soft", DeleteMode.Soft)]
    [TestCase("true", "hard", DeleteMode.Hard)]
    [TestCase("false", "none", DeleteMode.None)]
    public void BothKeys_Agreeing_AreAccepted(string enabled, string mode, DeleteMode expected) =>
        Assert.That(Read(("delete.enabled", enabled), ("delete.mode", mode)).DeleteMode, Is.EqualTo(expected));

    [TestCase("false", "soft")]
    [TestCase("false", "hard")]
    [TestCase("true", "none")]
    public void BothKeys_Disagreeing_AreOneProblemNamingBoth(string enabled, string mode)
    {
        var problems = Problems(("delete.enabled", enabled), ("delete.mode", mode));

        Assert.That(problems, Has.Count.EqualTo(1));
        Assert.That(problems[0], Does.StartWith($"delete.mode: delete.mode={mode} contradicts delete.enabled={enabled}"));
    }

    [Test]
    public void SoftColumnNames_AreRead_AndCheckedTogetherWithTheMode()
    {
        var options = Read(("delete.mode", "soft"), ("delete.soft.column", "is_deleted"), ("delete.soft.timestamp.column", "deleted_at"));
        Assert.That(options.SoftDeleteColumns, Is.EqualTo(("is_deleted", "deleted_at")));

        Assert.That(Problems(("delete.soft.column", "is_deleted")), Is.EqualTo(new[] { "delete.soft.column: is only used with delete.mode=soft, not hard" }));
        Assert.That(Problems(("delete.mode", "soft"), ("delete.soft.timestamp.column", "__deleted")),
            Has.Some.StartsWith("delete.soft.timestamp.column: '__deleted' is also delete.soft.column"));
        Assert.That(Problems(("delete.mode", "soft"), ("delete.soft.column", new string('x', 64))),
            Has.Some.StartsWith("delete.soft.column: '" + new string('x', 64) + "' is not a PostgreSQL column name"));
        Assert.That(Problems(("delete.mode", "sometimes")), Has.Some.StartsWith("delete.mode: 'sometimes' is not one of: hard, soft, none"));
    }
}
