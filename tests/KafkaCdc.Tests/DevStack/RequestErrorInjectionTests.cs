using Confluent.Kafka;
using KafkaCdc.DevStack.Kafka;
using KafkaCdc.Shared.Kafka;

namespace KafkaCdc.Tests.DevStack;

/// <summary>Errors pushed for a request type through the dev stack's admin endpoint reach Kafka clients.</summary>
public class RequestErrorInjectionTests
{
    [TearDown]
    public async Task RestoreBrokers()
    {
        if (TestEnvironment.DevStackAdmin is { } admin) await admin.ResetAsync();
    }

    [Test]
    public async Task RetriableProduceErrors_IdempotentProducer_RetriesAndDeliversEachOnce()
    {
        var admin = TestEnvironment.RequireDevStackAdmin();
        var topic = TestEnvironment.UniqueName("produce_errors");
        await admin.CreateTopicAsync(topic, partitions: 1);
        var statistics = new ProducerStatistics();
        var config = KafkaClientSettings.FromConnectorConfig(new Dictionary<string, string?>
        {
            ["kafka.bootstrap.servers"] = TestEnvironment.KafkaBootstrapServers,
            ["kafka.statistics.interval.ms"] = "50",
            ["kafka.retry.backoff.ms"] = "20",
        }).CreateProducerConfig(KafkaOwnedProperties.IdempotentProducer);
        using var producer = new ProducerBuilder<string, string>(config).SetStatisticsHandler((_, json) => statistics.Update(json)).Build();
        await producer.ProduceAsync(topic, new Message<string, string> { Key = "k", Value = "0" }); // producer id and metadata in place
        await Poll.UntilAsync(() => statistics.PartitionCounter(topic, 0, "txmsgs") == 1, TimeSpan.FromSeconds(10),
            "statistics counting the first message sent");

        ErrorCode[] errors = [ErrorCode.NotEnoughReplicas, ErrorCode.LeaderNotAvailable, ErrorCode.RequestTimedOut];
        await admin.PushRequestErrorsAsync(KafkaApiKey.Produce, errors);
        await Task.WhenAll(Enumerable.Range(1, 20)
            .Select(i => producer.ProduceAsync(topic, new Message<string, string> { Key = "k", Value = $"{i}" })));

        // librdkafka retries partition errors by sending the messages again: more transmissions than messages.
        await Poll.UntilAsync(() => statistics.PartitionCounter(topic, 0, "txmsgs") > 21, TimeSpan.FromSeconds(10),
            "the producer's statistics to count messages sent again after the injected errors");
        var messages = await TopicReader.ReadAllAsync(topic, 21, TimeSpan.FromSeconds(30));
        Assert.That(messages.Select(m => m.Message.Value), Is.EqualTo(Enumerable.Range(0, 21).Select(i => $"{i}")));
    }

    [Test]
    public async Task NonRetriableProduceError_ReachesDeliveryReport()
    {
        var admin = TestEnvironment.RequireDevStackAdmin();
        var topic = TestEnvironment.UniqueName("produce_denied");
        await admin.CreateTopicAsync(topic, partitions: 1);
        var config = new ProducerConfig { BootstrapServers = TestEnvironment.KafkaBootstrapServers };

        await admin.PushRequestErrorsAsync(KafkaApiKey.Produce, [ErrorCode.TopicAuthorizationFailed]);
        using (var producer = new ProducerBuilder<string, string>(config).Build())
        {
            var exception = Assert.ThrowsAsync<ProduceException<string, string>>(() =>
                producer.ProduceAsync(topic, new Message<string, string> { Key = "k", Value = "denied" }));
            Assert.That(exception!.Error.Code, Is.EqualTo(ErrorCode.TopicAuthorizationFailed));
        }

        // A new client: librdkafka remembers an authorization error for the topic until its next metadata refresh.
        using var another = new ProducerBuilder<string, string>(config).Build();
        var delivered = await another.ProduceAsync(topic, new Message<string, string> { Key = "k", Value = "allowed" });
        Assert.That(delivered.Status, Is.EqualTo(PersistenceStatus.Persisted), "the pushed error was used up by one request");
    }
}
