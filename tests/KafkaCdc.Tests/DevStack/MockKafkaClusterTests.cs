using System.Net.Sockets;
using Confluent.Kafka;
using KafkaCdc.DevStack.Kafka;
using KafkaCdc.Shared.Kafka;

namespace KafkaCdc.Tests.DevStack;

public class MockKafkaClusterTests
{
    [Test]
    public void Start_ThreeBrokers_MetadataListsThemAndProcessMapsOneLibrdkafka()
    {
        using var cluster = MockKafkaCluster.Start();
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = cluster.BootstrapServers }).Build();

        var metadata = admin.GetMetadata(TimeSpan.FromSeconds(10));

        Assert.That(metadata.Brokers.Select(b => b.BrokerId), Is.EquivalentTo(new[] { 1, 2, 3 }));
        Assert.That(LibrdkafkaLibrary.MappedLibrdkafkaPaths(), Is.EqualTo(new[] { LibrdkafkaLibrary.Path }), "librdkafka files mapped into the process");
    }

    [Test]
    public void Dispose_Cluster_ClosesListeners()
    {
        var cluster = MockKafkaCluster.Start(brokerCount: 1);
        var port = int.Parse(cluster.BootstrapServers.Split(':')[^1], System.Globalization.CultureInfo.InvariantCulture);

        cluster.Dispose();

        using var client = new TcpClient();
        Assert.Throws<SocketException>(() => client.Connect("127.0.0.1", port));
    }

    [Test]
    public void SetBrokerDown_UnknownBroker_ThrowsNamingValidIds()
    {
        using var cluster = MockKafkaCluster.Start(brokerCount: 2);

        Assert.That(() => cluster.SetBrokerDown(3),
            Throws.ArgumentException.With.Message.Contains("broker 3 does not exist; broker ids are 1 to 2"));
    }

    [Test]
    public void CreateTopic_Twice_ThrowsTopicAlreadyExists()
    {
        using var cluster = MockKafkaCluster.Start(brokerCount: 1);
        cluster.CreateTopic("twice", partitions: 2);

        Assert.That(() => cluster.CreateTopic("twice", partitions: 2),
            Throws.InstanceOf<KafkaException>().With.Property(nameof(KafkaException.Error)).Property(nameof(Error.Code)).EqualTo(ErrorCode.TopicAlreadyExists));
    }
}
