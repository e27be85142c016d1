using System.Collections.Concurrent;
using Confluent.Kafka;
using KafkaCdc.Shared.Kafka;

namespace KafkaCdc.Tests.DevStack;

/// <summary>
/// A broker of the dev stack goes away while the source connector's idempotent producer has messages for it,
/// and comes back: every message must end up in Kafka exactly once and in order per partition.
/// </summary>
public class BrokerOutageTests
{
    const int PartitionCount = 3;
    const int MessagesPerPhase = 90;

    [TearDown]
    public async Task RestoreBrokers()
    {
        if (TestEnvironment.DevStackAdmin is { } admin) await admin.ResetAsync();
    }

    [Test]
    public async Task BrokerDown_IdempotentProducer_DeliversEachMessageOnce()
    {
        var admin = TestEnvironment.RequireDevStackAdmin();
        var topic = TestEnvironment.UniqueName("outage");
        await admin.CreateTopicAsync(topic, PartitionCount);
        for (var partition = 0; partition < PartitionCount; partition++)
            await admin.SetPartitionLeaderAsync(topic, partition, brokerId: partition + 1);

        var statistics = new ProducerStatistics();
        var delivered = new ConcurrentDictionary<int, int>();
        var failures = new ConcurrentQueue<string>();
        using var producer = new ProducerBuilder<string, string>(ProducerConfig())
            .SetStatisticsHandler((_, json) => statistics.Update(json))
            .Build();
        void Produce(int sequence)
        {
            var partition = sequence % PartitionCount;
            producer.Produce(new TopicPartition(topic, partition), new Message<string, string> { Key = $"p{partition}", Value = $"{sequence}" }, report =>
            {
                if (report.Error.IsError) failures.Enqueue($"{report.Message.Value}: {report.Error}");
                else delivered.AddOrUpdate(partition, 1, (_, n) => n + 1);
            });
        }

        for (var sequence = 0; sequence < MessagesPerPhase; sequence++) Produce(sequence);
        Assert.That(producer.Flush(TimeSpan.FromSeconds(30)), Is.Zero, "messages in flight with all brokers up");

        // Down while nothing is in flight: a lost response to an appended batch would be written twice by the
        // mock, which checks sequence numbers of transactional producers only (real brokers deduplicate).
        await admin.SetBrokerDownAsync(1);
        for (var sequence = MessagesPerPhase; sequence < 2 * MessagesPerPhase; sequence++) Produce(sequence);

        // The mock leaves a down broker out of its metadata, so the producer may even forget broker 1 (state null).
        var perPartition = 2 * MessagesPerPhase / PartitionCount;
        await Poll.UntilAsync(() => delivered.GetValueOrDefault(1) == perPartition && delivered.GetValueOrDefault(2) == perPartition
                                    && statistics.BrokerState(1) != "UP",
            TimeSpan.FromSeconds(30), "brokers 2 and 3 to take all their messages and the producer to lose broker 1");
        Assert.That(delivered.GetValueOrDefault(0), Is.EqualTo(perPartition / 2), "partition 0 (led by broker 1) messages delivered");

        await admin.ResetAsync();
        Assert.That(producer.Flush(TimeSpan.FromSeconds(60)), Is.Zero, "messages still in flight after broker 1 came back");

        Assert.That(failures, Is.Empty);
        var messages = await TopicReader.ReadAllAsync(topic, 2 * MessagesPerPhase, TimeSpan.FromSeconds(30));
        for (var partition = 0; partition < PartitionCount; partition++)
        {
            var expected = Enumerable.Range(0, 2 * MessagesPerPhase).Where(s => s % PartitionCount == partition).Select(s => $"{s}");
            Assert.That(messages.Where(m => m.Partition.Value == partition).Select(m => m.Message.Value), Is.EqualTo(expected),
                $"sequence numbers in partition {partition}");
        }
    }

    [Test]
    public async Task BrokerRtt_ProduceToItsPartition_AcknowledgedNoSoonerThanTheRtt()
    {
        var admin = TestEnvironment.RequireDevStackAdmin();
        var topic = TestEnvironment.UniqueName("rtt");
        await admin.CreateTopicAsync(topic, partitions: 1);
        await admin.SetPartitionLeaderAsync(topic, 0, brokerId: 2);
        using var producer = new ProducerBuilder<string, string>(ProducerConfig()).Build();
        await producer.ProduceAsync(topic, new Message<string, string> { Key = "k", Value = "warm-up" });

        await admin.SetBrokerRttAsync(2, TimeSpan.FromMilliseconds(400));
        var elapsed = System.Diagnostics.Stopwatch.StartNew();
        await producer.ProduceAsync(topic, new Message<string, string> { Key = "k", Value = "slow" });

        Assert.That(elapsed.Elapsed, Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(400)));
    }

    static ProducerConfig ProducerConfig() =>
        KafkaClientSettings.FromConnectorConfig(new Dictionary<string, string?>
        {
            ["kafka.bootstrap.servers"] = TestEnvironment.KafkaBootstrapServers,
            ["kafka.linger.ms"] = "5",
            ["kafka.statistics.interval.ms"] = "50",
            // Reconnect and retry quickly once the broker is back, so the test does not wait out back-offs.
            ["kafka.reconnect.backoff.ms"] = "20",
            ["kafka.reconnect.backoff.max.ms"] = "200",
            ["kafka.retry.backoff.ms"] = "20",
            ["kafka.retry.backoff.max.ms"] = "200",
        }).CreateProducerConfig(KafkaOwnedProperties.IdempotentProducer);
}
