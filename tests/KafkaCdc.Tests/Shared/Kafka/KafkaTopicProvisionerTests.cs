using Confluent.Kafka;
using Confluent.Kafka.Admin;
using KafkaCdc.Shared.Kafka;
using Microsoft.Extensions.Logging;

namespace KafkaCdc.Tests.Shared.Kafka;

public class KafkaTopicProvisionerTests
{
    [Test]
    public async Task EnsureTopicsAsync_MockClusterWithoutCreateTopics_FallsBackToAutoCreationLoggedOnce()
    {
        if (!TestEnvironment.IsMockKafka) Assert.Ignore("the fallback only happens on the dev stack's mock cluster, which lacks CreateTopics");
        var logger = new RecordingLogger();
        var config = new AdminClientConfig { BootstrapServers = TestEnvironment.KafkaBootstrapServers };
        using var provisioner = new KafkaTopicProvisioner(config, logger);
        using var admin = new AdminClientBuilder(config).Build();
        var first = TestEnvironment.UniqueName("provision");
        var second = TestEnvironment.UniqueName("provision");

        var elapsed = System.Diagnostics.Stopwatch.StartNew();
        await provisioner.EnsureTopicsAsync([first]);
        await provisioner.EnsureTopicsAsync([first, second]);
        elapsed.Stop();

        var metadata = admin.GetMetadata(TimeSpan.FromSeconds(10));
        foreach (var topic in new[] { first, second })
        {
            Assert.That(metadata.Topics.SingleOrDefault(t => t.Topic == topic)?.Partitions, Has.Count.GreaterThan(0), topic);
        }
        var fallbackNotices = logger.Entries.Where(e => e.EventId == 1010).ToList();
        Assert.That(fallbackNotices, Has.Count.EqualTo(1));
        Assert.That(fallbackNotices[0].Level, Is.EqualTo(LogLevel.Information));
        Assert.That(elapsed.Elapsed, Is.LessThan(TimeSpan.FromSeconds(10)), "fell back without waiting for a request to time out");
    }

    [Test]
    public async Task EnsureTopicsAsync_TopicExists_Succeeds()
    {
        var topic = TestEnvironment.UniqueName("provision_existing");
        await TestEnvironment.CreateTopicAsync(topic, partitions: 2);
        var config = new AdminClientConfig { BootstrapServers = TestEnvironment.KafkaBootstrapServers };
        using var provisioner = new KafkaTopicProvisioner(config, new RecordingLogger());
        using var admin = new AdminClientBuilder(config).Build();

        await provisioner.EnsureTopicsAsync([topic]);

        Assert.That(admin.GetMetadata(topic, TimeSpan.FromSeconds(10)).Topics.Single().Partitions, Has.Count.EqualTo(2));
    }

    [Test]
    public async Task EnsureTopicsAsync_RealKafka_CreatesThroughTheAdminApiWithTheConfigsGiven()
    {
        if (TestEnvironment.IsMockKafka)
            Assert.Ignore("the dev stack's mock cluster has no CreateTopics or DescribeConfigs: this runs against real Kafka (containers or KAFKA_BOOTSTRAP_SERVERS)");
        var config = new AdminClientConfig { BootstrapServers = TestEnvironment.KafkaBootstrapServers };
        var logger = new RecordingLogger();
        using var provisioner = new KafkaTopicProvisioner(config, logger);
        using var admin = new AdminClientBuilder(config).Build();
        var topic = TestEnvironment.UniqueName("provision_compacted");

        await provisioner.EnsureTopicsAsync([topic], new Dictionary<string, string> { ["cleanup.policy"] = "compact" });

        var described = await admin.DescribeConfigsAsync([new ConfigResource { Type = ResourceType.Topic, Name = topic }]);
        Assert.That(described.Single().Entries["cleanup.policy"].Value, Is.EqualTo("compact"));
        Assert.That(logger.Entries.Where(e => e.EventId == 1010), Is.Empty, "no fallback to auto-creation on real Kafka");
    }
}
