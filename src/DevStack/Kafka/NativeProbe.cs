using Confluent.Kafka;
using KafkaCdc.Shared.Kafka;

namespace KafkaCdc.DevStack.Kafka;

/// <summary>
/// <c>KafkaCdc.DevStack --probe</c>: proves on this machine that librdkafka loads and works through both bindings: a
/// one-broker mock cluster (KafkaCdc's own P/Invokes) and a Confluent.Kafka producer and consumer that round-trip one
/// record through it over TCP. <c>scripts/bootstrap.sh</c> ends with it.
/// </summary>
public static class NativeProbe
{
    /// <summary>Runs the probe; writes one line saying what worked, or why not, and returns the exit code (0 or 1).</summary>
    public static int Run(TextWriter output, TextWriter error, TimeSpan timeout)
    {
        try
        {
            var path = LibrdkafkaLibrary.Load();
            using var cluster = MockKafkaCluster.Start(brokerCount: 1);
            const string topic = "kafkacdc-probe";
            using (var producer = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = cluster.BootstrapServers }).Build())
            {
                var delivery = producer.ProduceAsync(new TopicPartition(topic, 0), new Message<Null, string> { Value = "probe" });
                if (!delivery.Wait(timeout))
                    throw new InvalidOperationException($"the mock broker at {cluster.BootstrapServers} did not acknowledge a record within {timeout.TotalSeconds:0} s");
            }
            using var consumer = new ConsumerBuilder<Ignore, string>(new ConsumerConfig
            {
                BootstrapServers = cluster.BootstrapServers,
                GroupId = "kafkacdc-probe",
                AutoOffsetReset = AutoOffsetReset.Earliest,
            }).Build();
            consumer.Assign(new TopicPartitionOffset(topic, 0, Offset.Beginning));
            var record = consumer.Consume(timeout);
            if (record?.Message.Value != "probe")
                throw new InvalidOperationException($"the record produced to the mock broker at {cluster.BootstrapServers} did not come back within {timeout.TotalSeconds:0} s");
            output.WriteLine($"librdkafka {Library.VersionString} loaded from {path}: a mock broker started and a record round-tripped through it");
            return 0;
        }
        catch (Exception e)
        {
            error.WriteLine($"librdkafka probe failed: {e.GetBaseException().Message}");
            return 1;
        }
    }
}
