using Avro;
using Avro.Generic;
using Confluent.Kafka;
using KafkaCdc.Shared.AvroFormat;
using KafkaCdc.Shared.SchemaRegistry;
using KafkaCdc.Shared.SchemaRegistry.Serdes;

namespace KafkaCdc.Tests.Shared.SchemaRegistry.Serdes;

/// <summary>
/// The foundation end to end: Avro keys and values serialized through the test run's schema registry,
/// produced to its Kafka over TCP, consumed by another client and decoded through the registry again.
/// </summary>
public class AvroKafkaRoundTripTests
{
    static readonly RecordSchema s_keySchema = AvroSchemas.Record("Key", "kafkacdc.test", [new AvroSchemas.FieldDefinition("id", AvroSchemas.Long)]);

    static readonly RecordSchema s_valueSchema = AvroSchemas.Record("Value", "kafkacdc.test",
    [
        new AvroSchemas.FieldDefinition("id", AvroSchemas.Long),
        AvroSchemas.FieldDefinition.Optional("name", AvroSchemas.String),
        AvroSchemas.FieldDefinition.Optional("amount", AvroSchemas.Decimal(12, 2)),
    ]);

    [Test]
    public async Task ProduceAndConsume_ThroughRegistry_DecodesEveryRecordAsWritten()
    {
        var topic = TestEnvironment.UniqueName("avro_roundtrip");
        using var registry = SchemaRegistryClientOptions.ForUrl(TestEnvironment.RequireSchemaRegistryUrl()).CreateClient();
        var serializer = new AvroSerializer(registry);
        await serializer.RegisterAsync(topic, isKey: true, s_keySchema, CancellationToken.None);
        await serializer.RegisterAsync(topic, isKey: false, s_valueSchema, CancellationToken.None);
        var rows = Enumerable.Range(1, 50)
            .Select(i => (Id: (long)i, Name: i % 7 == 0 ? null : $"näme {i} 🚀", Amount: new AvroDecimal(i * 1001, 2)))
            .ToList();

        using (var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig
        {
            BootstrapServers = TestEnvironment.KafkaBootstrapServers,
            EnableIdempotence = true,
        }).Build())
        {
            foreach (var row in rows)
            {
                var key = AvroSchemas.NewRecord(s_keySchema, row.Id);
                var value = AvroSchemas.NewRecord(s_valueSchema, row.Id, row.Name, row.Amount);
                await producer.ProduceAsync(topic, new Message<byte[], byte[]>
                {
                    Key = serializer.Serialize(topic, isKey: true, s_keySchema, key),
                    Value = serializer.Serialize(topic, isKey: false, s_valueSchema, value),
                });
            }
        }

        var consumed = await ReadAllAsync(topic, rows.Count);
        var deserializer = new AvroDeserializer(registry);
        var decoded = new List<(long, string?, AvroDecimal)>();
        foreach (var message in consumed)
        {
            var key = (GenericRecord)(await deserializer.DeserializeAsync(message.Message.Key, CancellationToken.None))!.Value.Datum!;
            var value = (await deserializer.DeserializeAsync(message.Message.Value, CancellationToken.None))!.Value;
            var record = (GenericRecord)value.Datum!;
            Assert.That(key["id"], Is.EqualTo(record["id"]), $"key of offset {message.Offset}");
            Assert.That(value.WriterSchema, Is.EqualTo(s_valueSchema));
            decoded.Add(((long)record["id"]!, (string?)record["name"], (AvroDecimal)record["amount"]!));
        }

        Assert.That(decoded.OrderBy(r => r.Item1), Is.EqualTo(rows.Select(r => (r.Id, r.Name, r.Amount))));
        Assert.That(await registry.GetAllSubjectsAsync(), Is.SupersetOf(new[] { topic + "-key", topic + "-value" }));
    }

    static async Task<List<ConsumeResult<byte[], byte[]>>> ReadAllAsync(string topic, int count)
    {
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
        {
            BootstrapServers = TestEnvironment.KafkaBootstrapServers,
            GroupId = TestEnvironment.UniqueName("roundtrip_reader"),
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
        }).Build();
        consumer.Subscribe(topic);
        var results = new List<ConsumeResult<byte[], byte[]>>();
        await Poll.UntilAsync(() =>
        {
            while (consumer.Consume(TimeSpan.FromMilliseconds(100)) is { } result) results.Add(result);
            return results.Count >= count;
        }, TimeSpan.FromSeconds(30), () => $"{count} records in {topic} (have {results.Count})");
        consumer.Close();
        return results;
    }
}
