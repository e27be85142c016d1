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

    [Test]
    public void DeleteRecords_MovesTheLogStart_AndAConsumerBelowItIsResetWithoutAnError()
    {
        using var cluster = MockKafkaCluster.Start(brokerCount: 1);
        cluster.CreateTopic("deleted", partitions: 1);
        Produce(cluster, "deleted", count: 10, size: 100);

        cluster.DeleteRecords("deleted", 0, beforeOffset: 6);

        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
        {
            BootstrapServers = cluster.BootstrapServers,
            GroupId = "deleted",
            AutoOffsetReset = AutoOffsetReset.Earliest,
        }).Build();
        var partition = new TopicPartition("deleted", 0);
        var log = consumer.QueryWatermarkOffsets(partition, TimeSpan.FromSeconds(10));
        Assert.That((log.Low.Value, log.High.Value), Is.EqualTo((6L, 10L)));
        // What the sink's OffsetGaps must notice: a position below the log start is reset (auto.offset.reset) silently.
        consumer.Assign(new TopicPartitionOffset(partition, 2));
        var first = consumer.Consume(TimeSpan.FromSeconds(10));
        Assert.That(first?.Offset.Value, Is.EqualTo(6L));
        Assert.That(() => cluster.DeleteRecords("deleted", 0, beforeOffset: 11),
            Throws.InstanceOf<KafkaException>().With.Property(nameof(KafkaException.Error)).Property(nameof(Error.Code)).EqualTo(ErrorCode.OffsetOutOfRange));
    }

    [Test]
    public void APartition_KeepsAbout5MiB_AndDeletesTheOldestRecordsBeyond()
    {
        using var cluster = MockKafkaCluster.Start(brokerCount: 1);
        cluster.CreateTopic("retention", partitions: 1);
        const int size = 1000;
        Produce(cluster, "retention", count: 8_000, size: size); // about 7.6 MiB

        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig { BootstrapServers = cluster.BootstrapServers, GroupId = "retention" }).Build();
        var log = consumer.QueryWatermarkOffsets(new TopicPartition("retention", 0), TimeSpan.FromSeconds(10));
        var kept = log.High.Value - log.Low.Value;
        TestContext.Out.WriteLine($"kept offsets {log.Low.Value}-{log.High.Value - 1}: {kept} records of {size} bytes, about {kept * size / 1024} KiB of values");
        Assert.That(log.Low.Value, Is.GreaterThan(0), "the oldest records were deleted");
        Assert.That(kept * size, Is.InRange(MockKafkaCluster.PartitionRetentionBytes * 8 / 10, MockKafkaCluster.PartitionRetentionBytes),
            "about PartitionRetentionBytes of record batches (values plus record and batch overhead) are kept");
    }

    static void Produce(MockKafkaCluster cluster, string topic, int count, int size)
    {
        using var producer = new ProducerBuilder<byte[]?, byte[]>(new ProducerConfig { BootstrapServers = cluster.BootstrapServers, LingerMs = 5 }).Build();
        var value = new byte[size];
        Random.Shared.NextBytes(value);
        for (var i = 0; i < count; i++) producer.Produce(new TopicPartition(topic, 0), new Message<byte[]?, byte[]> { Value = value });
        Assert.That(producer.Flush(TimeSpan.FromSeconds(30)), Is.Zero, "every record acknowledged");
    }
}
