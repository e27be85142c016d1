using Confluent.Kafka;
using KafkaCdc.Tests.Shared.Kafka;

namespace KafkaCdc.Tests.SourceConnector.Checkpointing;

/// <summary>
/// The offsets topic on real Kafka: whichever command first needs it creates it through the admin API, compacted
/// (<c>SourceOffsetStore.TopicConfig</c>), so that Kafka keeps each connector's latest offset for ever. The dev stack's
/// mock cluster auto-creates it without topic configs instead, so these run only against real Kafka.
/// </summary>
public class OffsetStorageTopicTests
{
    const string MockLacks = "CreateTopics or DescribeConfigs API (it auto-creates the offsets topic without topic configs)";
    static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);

    [Test]
    public async Task Start_RealKafka_CreatesTheOffsetsTopicCompactedAndStoresTheOffsetThere()
    {
        TestEnvironment.RequireRealKafka(MockLacks);
        await using var database = await SourceTestDatabase.CreateAsync("offsets_topic", "CREATE TABLE items (id integer PRIMARY KEY)");
        var config = database.Config();
        var topic = config["offset.storage.topic"];

        await using var connector = await InProcessConnector.StartStreamingAsync(config);
        await database.ExecuteAsync("INSERT INTO items VALUES (1)");
        await Poll.UntilAsync(() => OffsetsTopic.Read(topic, config["name"]) is not null, s_timeout, $"an offset of the connector in {topic}");

        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = TestEnvironment.KafkaBootstrapServers }).Build();
        Assert.That(await KafkaTopicProvisionerTests.TopicConfigAsync(admin, topic, "cleanup.policy"), Is.EqualTo("compact"));
        Assert.That(connector.LogLines.Where(l => l.Contains("[1011]", StringComparison.Ordinal)), Has.Some.Contains(topic), "created through the admin API");
        Assert.That(connector.LogLines, Has.None.Contains("[1010]"), "no fallback to auto-creation on real Kafka");
    }

    [Test]
    public async Task ResetOffsets_RealKafkaNoOffsetsTopicYet_CreatesItCompacted()
    {
        TestEnvironment.RequireRealKafka(MockLacks);
        await using var database = await SourceTestDatabase.CreateAsync("offsets_reset");
        var config = database.Config();
        var topic = config["offset.storage.topic"];

        var (exitCode, output) = await ConnectorProcess.RunSourceAsync(config, "reset-offsets", s_timeout);

        Assert.That(exitCode, Is.Zero, output);
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = TestEnvironment.KafkaBootstrapServers }).Build();
        Assert.That(await KafkaTopicProvisionerTests.TopicConfigAsync(admin, topic, "cleanup.policy"), Is.EqualTo("compact"));
    }
}
