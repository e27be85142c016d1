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
        TestEnvironment.RequireRealKafka("CreateTopics or DescribeConfigs API");
        var config = new AdminClientConfig { BootstrapServers = TestEnvironment.KafkaBootstrapServers };
        var logger = new RecordingLogger();
        using var provisioner = new KafkaTopicProvisioner(config, logger);
        using var admin = new AdminClientBuilder(config).Build();
        var topic = TestEnvironment.UniqueName("provision_compacted");

        await provisioner.EnsureTopicsAsync([topic], new Dictionary<string, string> { ["cleanup.policy"] = "compact" });

        Assert.That(await TopicConfigAsync(admin, topic, "cleanup.policy"), Is.EqualTo("compact"));
        Assert.That(logger.Entries.Where(e => e.EventId == 1011).Select(e => e.Message), Has.One.Contains(topic), "created through the admin API");
        Assert.That(logger.Entries.Where(e => e.EventId == 1010), Is.Empty, "no fallback to auto-creation on real Kafka");
    }

    [Test]
    public async Task EnsureTopicsAsync_RealKafka_TopicGetsTheBrokersDefaultPartitions()
    {
        TestEnvironment.RequireRealKafka("CreateTopics or DescribeConfigs API");
        var config = new AdminClientConfig { BootstrapServers = TestEnvironment.KafkaBootstrapServers };
        using var provisioner = new KafkaTopicProvisioner(config, new RecordingLogger());
        using var admin = new AdminClientBuilder(config).Build();
        var topic = TestEnvironment.UniqueName("provision_default");
        var metadata = admin.GetMetadata(TimeSpan.FromSeconds(10));
        var broker = metadata.Brokers.First().BrokerId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var described = await admin.DescribeConfigsAsync([new ConfigResource { Type = ResourceType.Broker, Name = broker }]);
        var defaultPartitions = int.Parse(described.Single().Entries["num.partitions"].Value, System.Globalization.CultureInfo.InvariantCulture);

        await provisioner.EnsureTopicsAsync([topic]);

        // The provisioner asks for partitions and replication factor -1: the broker's num.partitions and default.replication.factor.
        var partitions = admin.GetMetadata(topic, TimeSpan.FromSeconds(10)).Topics.Single().Partitions;
        Assert.That(partitions, Has.Count.EqualTo(defaultPartitions), $"num.partitions of broker {broker}");
        if (TestEnvironment.Choice.Kafka == KafkaSource.Containers)
            Assert.That(defaultPartitions, Is.EqualTo(KafkaContainers.DefaultPartitions), "the containers' broker is configured like the compose stack's");
    }

    [Test]
    public async Task EnsureTopicsAsync_RealKafkaTopicExistsWithOtherConfigs_LeavesItAsItIs()
    {
        TestEnvironment.RequireRealKafka("CreateTopics or DescribeConfigs API");
        var topic = TestEnvironment.UniqueName("provision_preexisting");
        await TestEnvironment.CreateTopicAsync(topic, partitions: 2);
        var config = new AdminClientConfig { BootstrapServers = TestEnvironment.KafkaBootstrapServers };
        var logger = new RecordingLogger();
        using var provisioner = new KafkaTopicProvisioner(config, logger);
        using var admin = new AdminClientBuilder(config).Build();

        await provisioner.EnsureTopicsAsync([topic], new Dictionary<string, string> { ["cleanup.policy"] = "compact" });

        // An operator's own topic wins: nothing is altered, the broker's answer (TopicAlreadyExists) is logged.
        Assert.That(await TopicConfigAsync(admin, topic, "cleanup.policy"), Is.EqualTo("delete"));
        Assert.That(admin.GetMetadata(topic, TimeSpan.FromSeconds(10)).Topics.Single().Partitions, Has.Count.EqualTo(2));
        Assert.That(logger.Entries.Where(e => e.EventId == 1012).Select(e => e.Message), Has.One.Contains(topic));
    }

    /// <summary>A topic's config value as the broker describes it.</summary>
    internal static async Task<string> TopicConfigAsync(IAdminClient admin, string topic, string name)
    {
        var described = await admin.DescribeConfigsAsync([new ConfigResource { Type = ResourceType.Topic, Name = topic }]);
        return described.Single().Entries[name].Value;
    }
}
