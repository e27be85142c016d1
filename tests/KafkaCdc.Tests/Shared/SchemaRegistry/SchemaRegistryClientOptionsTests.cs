using KafkaCdc.Shared.Configuration;
using KafkaCdc.Shared.SchemaRegistry;

namespace KafkaCdc.Tests.Shared.SchemaRegistry;

public class SchemaRegistryClientOptionsTests
{
    static ConfigReader Reader(params (string Key, string Value)[] pairs) =>
        new(RawConfig.FromPairs(pairs.Select(p => KeyValuePair.Create(p.Key, p.Value))), new Dictionary<string, string>());

    [Test]
    public void FromConfig_EveryKey_IsRead()
    {
        var config = Reader(
            ("schema.registry.url", "http://a:8081, https://b.example/registry"),
            ("schema.registry.basic.auth.user.info", "user:pa:ss"),
            ("schema.registry.request.timeout.ms", "5000"),
            ("schema.registry.max.retries", "2"),
            ("schema.registry.retry.backoff.ms", "50"),
            ("schema.registry.retry.backoff.max.ms", "400"));

        var options = SchemaRegistryClientOptions.FromConfig(config);
        config.ThrowIfProblems();

        Assert.That(options.Urls, Is.EqualTo(new[] { new Uri("http://a:8081"), new Uri("https://b.example/registry") }));
        Assert.That(options.BasicAuthUserInfo, Is.EqualTo("user:pa:ss"));
        Assert.That(options.RequestTimeout, Is.EqualTo(TimeSpan.FromSeconds(5)));
        Assert.That(options.MaxRetries, Is.EqualTo(2));
        Assert.That(options.RetryBackoff, Is.EqualTo(TimeSpan.FromMilliseconds(50)));
        Assert.That(options.RetryBackoffMax, Is.EqualTo(TimeSpan.FromMilliseconds(400)));
    }

    [Test]
    public void FromConfig_OnlyUrl_UsesDefaults()
    {
        var config = Reader(("schema.registry.url", "http://localhost:8081"));

        var options = SchemaRegistryClientOptions.FromConfig(config);

        Assert.That(config.HasProblems, Is.False);
        Assert.That(options.BasicAuthUserInfo, Is.Null);
        Assert.That(options.RequestTimeout, Is.EqualTo(TimeSpan.FromMilliseconds(30_000)));
        Assert.That(options.MaxRetries, Is.EqualTo(5));
        Assert.That(options.RetryBackoff, Is.EqualTo(TimeSpan.FromMilliseconds(200)));
    }

    [Test]
    public void FromConfig_BadValues_ReportsEveryProblemByKey()
    {
        var config = Reader(
            ("schema.registry.url", "ftp://a, http://ok:1"),
            ("schema.registry.basic.auth.user.info", "no-colon-secret"),
            ("schema.registry.request.timeout.ms", "0"),
            ("schema.registry.max.retries", "many"));

        SchemaRegistryClientOptions.FromConfig(config);
        var error = Assert.Throws<ConfigException>(config.ThrowIfProblems);

        Assert.That(error.Problems, Has.Count.EqualTo(4));
        Assert.That(error.Problems, Has.Some.StartsWith("schema.registry.url: 'ftp://a' is not an http:// or https:// URL"));
        Assert.That(error.Problems, Has.Some.StartsWith("schema.registry.basic.auth.user.info: must be user:password"));
        Assert.That(error.Problems, Has.Some.StartsWith("schema.registry.request.timeout.ms:"));
        Assert.That(error.Problems, Has.Some.StartsWith("schema.registry.max.retries:"));
        Assert.That(error.Message, Does.Not.Contain("no-colon-secret"));
    }

    [Test]
    public void FromConfig_MissingUrl_IsRequired()
    {
        var config = Reader();

        SchemaRegistryClientOptions.FromConfig(config);

        Assert.That(() => config.ThrowIfProblems(),
            Throws.TypeOf<ConfigException>().With.Property(nameof(ConfigException.Problems)).Some.StartsWith("schema.registry.url: is required"));
    }

    [Test]
    public void FromConfig_CredentialsInUrl_AreRejectedWithoutBeingShown()
    {
        var config = Reader(("schema.registry.url", "http://user:hunter2@registry:8081"));

        SchemaRegistryClientOptions.FromConfig(config);
        var error = Assert.Throws<ConfigException>(config.ThrowIfProblems);

        Assert.That(error.Message, Does.Contain("schema.registry.basic.auth.user.info").And.Not.Contain("hunter2"));
    }

    [Test]
    public void ToString_HidesCredentials()
    {
        var options = new SchemaRegistryClientOptions { Urls = [new Uri("http://r:8081")], BasicAuthUserInfo = "user:hunter2" };

        Assert.That(options.ToString(), Does.Not.Contain("hunter2").And.Contain("http://r:8081"));
    }

    [Test]
    public void Client_OptionsWithoutUrls_AreRejected()
    {
        Assert.That(() => new SchemaRegistryClient(new SchemaRegistryClientOptions { Urls = [] }),
            Throws.ArgumentException.With.Message.Contains("URL"));
    }
}
