using Confluent.Kafka;
using KafkaCdc.SinkConnector.Consuming;
using KafkaCdc.SinkConnector.Monitoring;
using KafkaCdc.Tests.SinkConnector.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace KafkaCdc.Tests.SinkConnector.Consuming;

public class TaskStatusReporterTests
{
    [Test]
    public void AFailedTask_ReportsItsStateAfterTheConsumerIsGone_WithoutLag()
    {
        // A failing task closes its consumer before it reports "failed"; asking a destroyed handle for watermarks threw
        // ObjectDisposedException, which nothing caught, and took the whole process down instead of failing the task.
        var options = SinkConfigs.Options(new Dictionary<string, string>
        {
            ["name"] = "status",
            ["topics"] = "shop_orders",
            ["connection.hostname"] = "localhost",
            ["connection.username"] = "u",
            ["connection.database"] = "d",
            ["kafka.bootstrap.servers"] = "localhost:9",
            ["schema.registry.url"] = "http://localhost:9",
        });
        using var metrics = new SinkMetrics("status-" + Guid.NewGuid().ToString("N"));
        var status = new SinkStatus("status", "group", 1, metrics);
        var offsets = new PartitionOffsets(metrics, NullLogger.Instance);
        var partition = new TopicPartition("shop_orders", 0);
        offsets.Assign([partition], [], []);
        var reporter = new TaskStatusReporter(0, status, metrics, offsets, new TableStops(), new OffsetGaps(0, options, metrics, NullLogger.Instance));
        var consumer = new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig { BootstrapServers = "localhost:9", GroupId = "g" }).Build();
        consumer.Close();
        consumer.Dispose();

        Assert.DoesNotThrow(() => reporter.Set("failed", consumer));
        Assert.That(status.Tasks[0].State, Is.EqualTo("failed"));
        Assert.That(status.Tasks[0].Partitions.Single().Lag, Is.Null);
    }
}
