using Confluent.Kafka;

namespace KafkaCdc.Tests.DevStack;

/// <summary>The dev stack's Kafka serves other processes: kcat consumes what the tests produce and vice versa.</summary>
public class KcatInteropTests
{
    static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);

    [Test]
    public async Task ProducedWithConfluent_ConsumedByKcatProcess_SameKeysAndValues()
    {
        var topic = TestEnvironment.UniqueName("kcat_consume");
        var sent = Enumerable.Range(0, 20).Select(i => $"key-{i}=value {i} ünïcode").ToList();
        using (var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = TestEnvironment.KafkaBootstrapServers }).Build())
        {
            foreach (var line in sent)
            {
                var parts = line.Split('=', 2);
                await producer.ProduceAsync(new TopicPartition(topic, 0), new Message<string, string> { Key = parts[0], Value = parts[1] });
            }
        }

        var output = await Kcat.RunAsync(
            ["-C", "-b", TestEnvironment.KafkaBootstrapServers, "-t", topic, "-p", "0", "-o", "beginning", "-c", "20", "-e", "-q", "-f", "%k=%s\\n"],
            input: null, s_timeout);

        Assert.That(output.Split('\n', StringSplitOptions.RemoveEmptyEntries), Is.EqualTo(sent));
    }

    [Test]
    public async Task ProducedByKcatProcess_ConsumedWithConfluent_SameKeysAndValues()
    {
        var topic = TestEnvironment.UniqueName("kcat_produce");
        var sent = Enumerable.Range(0, 20).Select(i => $"key-{i}:value {i}").ToList();

        await Kcat.RunAsync(["-P", "-b", TestEnvironment.KafkaBootstrapServers, "-t", topic, "-p", "0", "-K", ":"],
            string.Join('\n', sent) + "\n", s_timeout);

        var received = await TopicReader.ReadAllAsync(topic, sent.Count, s_timeout);
        Assert.That(received.Select(m => $"{m.Message.Key}:{m.Message.Value}"), Is.EqualTo(sent));
    }
}
