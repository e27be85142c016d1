using Confluent.Kafka;
using KafkaCdc.Shared.ChangeEvents;

namespace KafkaCdc.Tests.SourceConnector.Publishing;

/// <summary><c>tombstones.on.delete=false</c>: a delete is the last record of its key.</summary>
public class TombstoneTests
{
    [Test]
    public async Task Delete_TombstonesOff_NoTombstoneFollows()
    {
        await using var database = await SourceTestDatabase.CreateAsync("notomb", "CREATE TABLE t (id integer PRIMARY KEY, v text)");
        var config = database.Config();
        config["tombstones.on.delete"] = "false";
        await using var connector = await InProcessConnector.StartStreamingAsync(config);

        await database.ExecuteAsync("INSERT INTO t VALUES (1, 'a'), (2, 'b'); DELETE FROM t WHERE id = 1");
        await Poll.UntilAsync(() => connector.Status.CountersFor("public.t").Count(ChangeOperation.Delete) == 1
                                    && connector.Status.RecordsInFlight == 0, TimeSpan.FromSeconds(30), "the delete to be acknowledged");
        var records = await ChangeTopic.ReadAsync(database.Topic("t"), 3);

        Assert.That(records.Where(r => (int)r.Key!["id"]! == 1).Select(r => r.Op), Is.EqualTo(new[] { "c", "d" }));
        Assert.That(StoredRecords(database.Topic("t")), Is.EqualTo(3), "two inserts and a delete, no tombstone");
    }

    static long StoredRecords(string topic)
    {
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig { BootstrapServers = TestEnvironment.KafkaBootstrapServers, GroupId = "unused" }).Build();
        using var admin = new DependentAdminClientBuilder(consumer.Handle).Build();
        return admin.GetMetadata(topic, TimeSpan.FromSeconds(10)).Topics.Single().Partitions.Sum(p =>
        {
            var watermarks = consumer.QueryWatermarkOffsets(new TopicPartition(topic, p.PartitionId), TimeSpan.FromSeconds(10));
            return watermarks.High.Value - watermarks.Low.Value;
        });
    }
}
