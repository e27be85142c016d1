using System.Reflection;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Confluent.SchemaRegistry;
using KafkaCdc.Shared.Configuration;
using KafkaCdc.Shared.SchemaRegistry;

namespace KafkaCdc.Tests.Shared.SchemaRegistry;

public class SchemaRegistryClientOptionsTests
{
    static ConfigReader Reader(params (string Key, string Value)[] pairs) =>
        new(RawConfig.FromPairs(pairs.Select(p => KeyValuePair.Create(p.Key, p.Value))), new Dictionary<string, string>());

    string _caFile = null!;

    [OneTimeSetUp]
    public void WriteCaFile()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=kafkacdc-test-ca", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(1));
        _caFile = Path.Combine(Path.GetTempPath(), $"kafkacdc-test-ca-{Guid.NewGuid():N}.pem");
        File.WriteAllText(_caFile, certificate.ExportCertificatePem());
    }

    [OneTimeTearDown]
    public void DeleteCaFile() => File.Delete(_caFile);

    [Test]
    public void FromConfig_EveryKeyOfConfluentsConfig_IsRead()
    {
        var confluentKeys = typeof(SchemaRegistryConfig.PropertyNames).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).ToList();
        var config = Reader(("schema.registry.url", "http://r:8081"));

        SchemaRegistryClientOptions.FromConfig(config);

        Assert.That(confluentKeys, Has.Count.GreaterThanOrEqualTo(25));
        Assert.That(config.Effective.Keys, Is.SupersetOf(confluentKeys));
    }

    [Test]
    public void FromConfig_ConfluentKeys_ArePassedAsTheyAre()
    {
        var config = Reader(
            ("schema.registry.url", "http://a:8081, https://b.example/registry"),
            ("schema.registry.basic.auth.user.info", "user:pa:ss"),
            ("schema.registry.basic.auth.credentials.source", "USER_INFO"),
            ("schema.registry.request.timeout.ms", "5000"),
            ("schema.registry.max.retries", "2"),
            ("schema.registry.retries.wait.ms", "50"),
            ("schema.registry.retries.max.wait.ms", "400"),
            ("schema.registry.ssl.ca.location", _caFile),
            ("schema.registry.enable.ssl.certificate.verification", "true"),
            ("schema.registry.max.cached.schemas", "500"));

        var options = SchemaRegistryClientOptions.FromConfig(config);
        config.ThrowIfProblems();

        Assert.That(options.Urls, Is.EqualTo(new[] { new Uri("http://a:8081"), new Uri("https://b.example/registry") }));
        Assert.That(options.ClientConfig, Is.EquivalentTo(new Dictionary<string, string>
        {
            ["schema.registry.url"] = "http://a:8081,https://b.example/registry",
            ["schema.registry.basic.auth.user.info"] = "user:pa:ss",
            ["schema.registry.basic.auth.credentials.source"] = "USER_INFO",
            ["schema.registry.request.timeout.ms"] = "5000",
            ["schema.registry.max.retries"] = "2",
            ["schema.registry.retries.wait.ms"] = "50",
            ["schema.registry.retries.max.wait.ms"] = "400",
            ["schema.registry.ssl.ca.location"] = _caFile,
            ["schema.registry.enable.ssl.certificate.verification"] = "true",
            ["schema.registry.max.cached.schemas"] = "500",
        }));
        Assert.That(options.HasBasicAuth, Is.True);
    }

    [Test]
    public void CreateClient_EveryNonFileKey_IsAcceptedByConfluentsClient()
    {
        var config = Reader(("schema.registry.url", "http://r:8081"), ("schema.registry.basic.auth.user.info", "u:p"),
            ("schema.registry.basic.auth.credentials.source", "USER_INFO"), ("schema.registry.request.timeout.ms", "5000"),
            ("schema.registry.max.retries", "2"), ("schema.registry.retries.wait.ms", "50"), ("schema.registry.retries.max.wait.ms", "400"),
            ("schema.registry.connections.max.per.server", "4"), ("schema.registry.max.cached.schemas", "500"),
            ("schema.registry.latest.cache.ttl.secs", "60"), ("schema.registry.enable.ssl.certificate.verification", "false"),
            ("schema.registry.key.subject.name.strategy", "Topic"), ("schema.registry.value.subject.name.strategy", "Topic"));
        var options = SchemaRegistryClientOptions.FromConfig(config);
        config.ThrowIfProblems();

        using var client = options.CreateClient();

        Assert.That(client.MaxCachedSchemas, Is.EqualTo(500));
    }

    [Test]
    public void FromConfig_OnlyUrl_UsesKafkaCdcsRetryDefaults()
    {
        var config = Reader(("schema.registry.url", "http://localhost:8081"));

        var options = SchemaRegistryClientOptions.FromConfig(config);

        Assert.That(config.HasProblems, Is.False);
        Assert.That(options.HasBasicAuth, Is.False);
        Assert.That(options.ClientConfig, Is.EquivalentTo(new Dictionary<string, string>
        {
            ["schema.registry.url"] = "http://localhost:8081",
            ["schema.registry.max.retries"] = "5",
            ["schema.registry.retries.wait.ms"] = "200",
            ["schema.registry.retries.max.wait.ms"] = "10000",
        }));
    }

    [Test]
    public void FromConfig_EarlierRetryKeys_MapToConfluents()
    {
        var config = Reader(("schema.registry.url", "http://r:8081"), ("schema.registry.retry.backoff.ms", "70"), ("schema.registry.retry.backoff.max.ms", "900"));

        var options = SchemaRegistryClientOptions.FromConfig(config);
        config.ThrowIfProblems();

        Assert.That(options.ClientConfig["schema.registry.retries.wait.ms"], Is.EqualTo("70"));
        Assert.That(options.ClientConfig["schema.registry.retries.max.wait.ms"], Is.EqualTo("900"));
        Assert.That(options.ClientConfig.Keys, Has.None.Contains("backoff"));
    }

    [Test]
    public void FromConfig_UnknownRegistryKey_IsReportedWithASuggestion()
    {
        var config = Reader(("schema.registry.url", "http://r:8081"), ("schema.registry.max.retrys", "3"));

        SchemaRegistryClientOptions.FromConfig(config);
        var error = Assert.Throws<ConfigException>(config.ThrowIfProblems);

        Assert.That(error.Problems, Has.Some.StartsWith("schema.registry.max.retrys: unknown key; did you mean 'schema.registry.max.retries'?"));
    }

    [Test]
    public void FromConfig_BadValues_ReportsEveryProblemByKeyWithoutSecrets()
    {
        var config = Reader(
            ("schema.registry.url", "ftp://a, http://ok:1"),
            ("schema.registry.basic.auth.user.info", "no-colon-secret"),
            ("schema.registry.request.timeout.ms", "0"),
            ("schema.registry.max.retries", "many"),
            ("schema.registry.enable.ssl.certificate.verification", "maybe"));

        SchemaRegistryClientOptions.FromConfig(config);
        var error = Assert.Throws<ConfigException>(config.ThrowIfProblems);

        Assert.That(error.Problems, Has.Count.EqualTo(5));
        Assert.That(error.Problems, Has.Some.StartsWith("schema.registry.url: 'ftp://a' is not an http:// or https:// URL"));
        Assert.That(error.Problems, Has.Some.StartsWith("schema.registry.basic.auth.user.info: must be user:password"));
        Assert.That(error.Problems, Has.Some.StartsWith("schema.registry.request.timeout.ms: must be a whole number of at least 1"));
        Assert.That(error.Problems, Has.Some.StartsWith("schema.registry.max.retries: must be a whole number of at least 0"));
        Assert.That(error.Problems, Has.Some.StartsWith("schema.registry.enable.ssl.certificate.verification: must be true or false"));
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
    public void ToString_HidesEverySecret()
    {
        var config = Reader(("schema.registry.url", "http://r:8081"), ("schema.registry.basic.auth.user.info", "user:hunter2"),
            ("schema.registry.ssl.keystore.password", "keystore-secret"), ("schema.registry.bearer.auth.token", "bearer-secret"));

        var text = SchemaRegistryClientOptions.FromConfig(config).ToString();

        Assert.That(text, Does.Not.Contain("hunter2").And.Not.Contain("keystore-secret").And.Not.Contain("bearer-secret").And.Contain("http://r:8081"));
    }

    [Test]
    public void FromConfig_BothNamesOfARetryKey_IsReported()
    {
        var config = Reader(("schema.registry.url", "http://r:8081"), ("schema.registry.retry.backoff.ms", "70"), ("schema.registry.retries.wait.ms", "90"));

        SchemaRegistryClientOptions.FromConfig(config);
        var error = Assert.Throws<ConfigException>(config.ThrowIfProblems);

        Assert.That(error.Problems, Has.Some.StartsWith("schema.registry.retry.backoff.ms: is the earlier name of schema.registry.retries.wait.ms"));
    }

    [Test]
    public void FromConfig_SubjectNameStrategyOtherThanTopic_IsReported()
    {
        var config = Reader(("schema.registry.url", "http://r:8081"), ("schema.registry.value.subject.name.strategy", "Record"));

        SchemaRegistryClientOptions.FromConfig(config);
        var error = Assert.Throws<ConfigException>(config.ThrowIfProblems);

        Assert.That(error.Problems, Has.Some.StartsWith("schema.registry.value.subject.name.strategy: must be Topic, not 'Record'"));
    }

    [Test]
    public void FromConfig_SaslInherit_TakesTheKafkaClientsCredentials()
    {
        var config = Reader(("schema.registry.url", "http://r:8081"), ("schema.registry.basic.auth.credentials.source", "SASL_INHERIT"),
            ("kafka.sasl.username", "alice"), ("kafka.sasl.password", "kafka-secret"));

        var options = SchemaRegistryClientOptions.FromConfig(config);

        Assert.That(config.HasProblems, Is.False);
        Assert.That(options.ClientConfig["sasl.username"], Is.EqualTo("alice"));
        Assert.That(options.ClientConfig["sasl.password"], Is.EqualTo("kafka-secret"));
        Assert.That(options.ToString(), Does.Not.Contain("kafka-secret"));
    }

    [Test]
    public void FromConfig_SaslInheritWithoutKafkaCredentials_IsReported()
    {
        var config = Reader(("schema.registry.url", "http://r:8081"), ("schema.registry.basic.auth.credentials.source", "SASL_INHERIT"));

        SchemaRegistryClientOptions.FromConfig(config);
        var error = Assert.Throws<ConfigException>(config.ThrowIfProblems);

        Assert.That(error.Problems, Has.Some.EqualTo("schema.registry.basic.auth.credentials.source: SASL_INHERIT takes the registry credentials from kafka.sasl.username, which is not set"));
    }

    [Test]
    public void FromConfig_CredentialsSourceConfluentDoesNotKnow_IsReportedByKey()
    {
        var config = Reader(("schema.registry.url", "http://r:8081"), ("schema.registry.basic.auth.credentials.source", "KERBEROS"));

        SchemaRegistryClientOptions.FromConfig(config);
        var error = Assert.Throws<ConfigException>(config.ThrowIfProblems);

        Assert.That(error.Problems, Has.Some.StartsWith("schema.registry.basic.auth.credentials.source: refused by the registry client:").And.Contain("KERBEROS"));
    }

    [Test]
    public void FromConfig_MissingCaFile_IsReportedByKey()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"no-such-ca-{Guid.NewGuid():N}.pem");
        var config = Reader(("schema.registry.url", "https://r:8081"), ("schema.registry.ssl.ca.location", missing));

        SchemaRegistryClientOptions.FromConfig(config);
        var error = Assert.Throws<ConfigException>(config.ThrowIfProblems);

        Assert.That(error.Problems, Has.Some.StartsWith("schema.registry.ssl.ca.location: refused by the registry client:").And.Contain(missing));
    }

    [Test]
    public void FromConfig_UnreadableKeystore_IsReportedWithoutItsPassword()
    {
        var keystore = Path.Combine(Path.GetTempPath(), $"not-a-keystore-{Guid.NewGuid():N}.p12");
        File.WriteAllText(keystore, "not a PKCS#12 file");
        var config = Reader(("schema.registry.url", "https://r:8081"), ("schema.registry.ssl.keystore.location", keystore),
            ("schema.registry.ssl.keystore.password", "keystore-secret"));

        SchemaRegistryClientOptions.FromConfig(config);
        File.Delete(keystore);
        var error = Assert.Throws<ConfigException>(config.ThrowIfProblems);

        Assert.That(error.Problems, Has.Some.StartsWith("schema.registry.ssl.keystore.location: refused by the registry client:"));
        Assert.That(error.Message, Does.Not.Contain("keystore-secret"));
    }

    [Test]
    public void FromConfig_MaxRetriesZero_IsOneAttempt()
    {
        var config = Reader(("schema.registry.url", "http://r:8081"), ("schema.registry.max.retries", "0"));

        var options = SchemaRegistryClientOptions.FromConfig(config);

        Assert.That(config.HasProblems, Is.False);
        Assert.That(options.ClientConfig["schema.registry.max.retries"], Is.EqualTo("1"), "Confluent's client sends no request at all with 0");
    }
}
