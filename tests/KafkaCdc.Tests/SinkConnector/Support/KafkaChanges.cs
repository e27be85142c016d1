using Confluent.Kafka;

namespace KafkaCdc.Tests.SinkConnector.Support;

/// <summary>Produces <see cref="ChangeMessage"/>s to a topic of the run's Kafka, keyed records partitioned by key as the source's producer does.</summary>
internal sealed class KafkaChanges : IDisposable
{
    readonly IProducer<byte[]?, byte[]?> _producer;

    KafkaChanges(string topic)
    {
        Topic = topic;
        _producer = new ProducerBuilder<byte[]?, byte[]?>(new ProducerConfig { BootstrapServers = TestEnvironment.KafkaBootstrapServers, LingerMs = 5 }).Build();
    }

    /// <summary>The topic.</summary>
    public string Topic { get; }

    /// <summary>Creates the topic with <paramref name="partitions"/> partitions.</summary>
    public static async Task<KafkaChanges> CreateAsync(string topic, int partitions)
    {
        await TestEnvironment.CreateTopicAsync(topic, partitions);
        return new KafkaChanges(topic);
    }

    /// <summary>
    /// Produces the messages in order and waits until all are acknowledged; each carries <paramref name="headers"/> and
    /// its own position and snapshot mark headers.
    /// </summary>
    public void Produce(IEnumerable<ChangeMessage> messages, Headers? headers = null)
    {
        var failures = new List<string>();
        foreach (var message in messages)
        {
            var own = message.Headers();
            var all = new Headers();
            foreach (var header in (IEnumerable<IHeader>?)headers ?? []) all.Add(header.Key, header.GetValueBytes());
            foreach (var header in own) all.Add(header.Key, header.GetValueBytes());
            var kafkaMessage = new Message<byte[]?, byte[]?> { Key = message.Key, Value = message.Value, Headers = all };
            var partition = message.Partition is { } p ? new Partition(p) : Partition.Any;
            _producer.Produce(new TopicPartition(Topic, partition), kafkaMessage, report =>
            {
                if (report.Error.IsError) lock (failures) failures.Add(report.Error.Reason);
            });
        }
        _producer.Flush(TimeSpan.FromSeconds(30));
        Assert.That(failures, Is.Empty, $"producing to {Topic}");
    }

    public void Dispose() => _producer.Dispose();
}
