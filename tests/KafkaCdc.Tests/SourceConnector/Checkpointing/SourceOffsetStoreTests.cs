using Confluent.Kafka;
using KafkaCdc.SourceConnector.Checkpointing;
using Microsoft.Extensions.Logging.Abstractions;

namespace KafkaCdc.Tests.SourceConnector.Checkpointing;

/// <summary>Writing the source's offset through the producer that also carries the change records.</summary>
public class SourceOffsetStoreTests
{
    [Test]
    public async Task Write_WhileTheSendQueueIsFull_WaitsForRoomInsteadOfFailing()
    {
        // The change records fill the shared send queue under back-pressure; a snapshot's progress written then failed
        // with Local_QueueFull, and the source restarted the snapshot as a new run (found by SnapshotRunMarkTests' throttled run).
        var topic = TestEnvironment.UniqueName("offsets_full");
        var config = new ProducerConfig { BootstrapServers = TestEnvironment.KafkaBootstrapServers, QueueBufferingMaxMessages = 1, LingerMs = 300 };
        using var producer = new ProducerBuilder<byte[]?, byte[]?>(config).SetLogHandler((_, _) => { }).Build();
        var store = new SourceOffsetStore(topic, "conn", "slot", "pub", "db", producer,
            new ConsumerConfig { BootstrapServers = TestEnvironment.KafkaBootstrapServers }, NullLogger.Instance);
        var changeRecord = producer.ProduceAsync(TestEnvironment.UniqueName("changes"), new Message<byte[]?, byte[]?> { Value = [1] });
        Assert.Throws<ProduceException<byte[]?, byte[]?>>(() => producer.Produce(topic, new Message<byte[]?, byte[]?> { Value = [2] }), "the queue is full");
        var offset = new SourceOffset("0/16B6C50", "slot", "pub", "db", DateTimeOffset.UnixEpoch, null, null);

        await store.WriteAsync(offset, CancellationToken.None);

        await changeRecord;
        Assert.That(OffsetsTopic.Read(topic, "conn")?.Lsn, Is.EqualTo("0/16B6C50"));
    }
}
