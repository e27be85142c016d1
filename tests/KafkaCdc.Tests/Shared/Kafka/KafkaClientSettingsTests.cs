using Confluent.Kafka;
using KafkaCdc.Shared.Kafka;

namespace KafkaCdc.Tests.Shared.Kafka;

public class KafkaClientSettingsTests
{
    static KafkaClientSettings Settings(params (string Key, string? Value)[] config) =>
        KafkaClientSettings.FromConnectorConfig(config.Select(c => new KeyValuePair<string, string?>(c.Key, c.Value)));

    [Test]
    public void CreateProducerConfig_KafkaKeys_PassedThroughWithoutPrefixPlusOwned()
    {
        var settings = Settings(
            ("kafka.bootstrap.servers", "b1:9092,b2:9092"), ("kafka.security.protocol", "sasl_ssl"),
            ("kafka.sasl.mechanism", "PLAIN"), ("kafka.linger.ms", "20"), ("source.slot", "not kafka"), ("kafka.section", null));

        var config = settings.CreateProducerConfig(KafkaOwnedProperties.IdempotentProducer);

        Assert.That(config.BootstrapServers, Is.EqualTo("b1:9092,b2:9092"));
        Assert.That(config.SecurityProtocol, Is.EqualTo(SecurityProtocol.SaslSsl));
        Assert.That(config.SaslMechanism, Is.EqualTo(SaslMechanism.Plain));
        Assert.That(config.LingerMs, Is.EqualTo(20));
        Assert.That(config.EnableIdempotence, Is.True);
        Assert.That(config.Acks, Is.EqualTo(Acks.All));
        Assert.That(config.Select(p => p.Key), Has.None.StartsWith("kafka.").And.None.EqualTo("section"));
    }

    [Test]
    public void CreateConsumerConfig_Owned_AutoCommitOff()
    {
        var config = Settings(("kafka.bootstrap.servers", "b:9092"), ("kafka.group.id", "sink"))
            .CreateConsumerConfig(KafkaOwnedProperties.ManualCommitConsumer);

        Assert.That(config.GroupId, Is.EqualTo("sink"));
        Assert.That(config.EnableAutoCommit, Is.False);
        Assert.That(config.EnableAutoOffsetStore, Is.False);
    }

    [Test]
    public void Validate_MisspelledProperty_OneProblemNamingTheKey()
    {
        var problems = Settings(("kafka.bootstrap.servers", "b:9092"), ("kafka.sasl.mechanismz", "PLAIN"))
            .Validate(KafkaOwnedProperties.None);

        Assert.That(problems, Has.Count.EqualTo(1));
        Assert.That(problems[0].Key, Is.EqualTo("kafka.sasl.mechanismz"));
        Assert.That(problems[0].ToString(), Does.StartWith("kafka.sasl.mechanismz: not a librdkafka configuration property"));
    }

    [Test]
    public void Validate_BadValue_LibrdkafkasReasonNamingTheKey()
    {
        var problems = Settings(("kafka.bootstrap.servers", "b:9092"), ("kafka.security.protocol", "carrier_pigeon"))
            .Validate(KafkaOwnedProperties.None);

        Assert.That(problems.Single().Key, Is.EqualTo("kafka.security.protocol"));
        Assert.That(problems.Single().Message, Does.Contain("rejected by librdkafka").And.Contain("carrier_pigeon"));
    }

    [TestCase("kafka.enable.idempotence", "false")]
    [TestCase("kafka.acks", "1")]
    public void CreateProducerConfig_OverridesOwnedProperty_RejectedNamingTheKey(string key, string value)
    {
        var settings = Settings(("kafka.bootstrap.servers", "b:9092"), (key, value));

        var exception = Assert.Throws<KafkaConfigException>(() => settings.CreateProducerConfig(KafkaOwnedProperties.IdempotentProducer));

        Assert.That(exception!.Problems.Single().Key, Is.EqualTo(key));
        Assert.That(exception.Message, Does.Contain($"{key}: set by the connector itself"));
    }

    [Test]
    public void CreateConsumerConfig_EnablesAutoCommit_RejectedNamingTheKey()
    {
        var settings = Settings(("kafka.bootstrap.servers", "b:9092"), ("kafka.enable.auto.commit", "true"));

        Assert.That(() => settings.CreateConsumerConfig(KafkaOwnedProperties.ManualCommitConsumer),
            Throws.TypeOf<KafkaConfigException>().With.Message.Contains("kafka.enable.auto.commit"));
    }

    [Test]
    public void Validate_SeveralProblems_AllReportedTogether()
    {
        var problems = Settings(("kafka.acks", "0"), ("kafka.linger.mz", "5"), ("kafka.batch.size", "many"))
            .Validate(KafkaOwnedProperties.IdempotentProducer);

        Assert.That(problems.Select(p => p.Key),
            Is.EquivalentTo(new[] { "kafka.bootstrap.servers", "kafka.acks", "kafka.linger.mz", "kafka.batch.size" }));
    }

    [TestCase("kafka.sasl.password")]
    [TestCase("kafka.ssl.key.password")]
    [TestCase("kafka.sasl.oauthbearer.client.secret")]
    public void Validate_SecretsAmongProblems_ValuesNeverInMessagesOrToString(string secretKey)
    {
        const string secret = "hunter2-s3cr3t";
        var settings = Settings(("kafka.bootstrap.servers", "b:9092"), (secretKey, secret),
            (secretKey + "z", secret), ("kafka.acks", "1"));

        var exception = Assert.Throws<KafkaConfigException>(() => settings.CreateProducerConfig(KafkaOwnedProperties.IdempotentProducer));

        Assert.That(exception!.Problems.Select(p => p.Key), Is.EqualTo(new[] { secretKey + "z", "kafka.acks" }));
        Assert.That(exception.Message, Does.Not.Contain(secret));
        Assert.That(settings.ToString(), Does.Not.Contain(secret).And.Contain($"{secretKey}=[redacted]"));
    }

    [Test]
    public void Validate_ConfluentDotnetProperty_PassedWithoutLibrdkafkaCheck()
    {
        var settings = Settings(("kafka.bootstrap.servers", "b:9092"), ("kafka.dotnet.producer.enable.delivery.reports", "true"));

        Assert.That(settings.Validate(KafkaOwnedProperties.IdempotentProducer), Is.Empty);
        Assert.That(settings.CreateProducerConfig(KafkaOwnedProperties.IdempotentProducer).EnableDeliveryReports, Is.True);
    }
}
