using Avro;
using KafkaCdc.Shared.AvroFormat;
using KafkaCdc.Shared.SchemaRegistry;
using KafkaCdc.Shared.SchemaRegistry.Serdes;
using KafkaCdc.Tests.DevStack.SchemaRegistry;
using KafkaCdc.Tests.Shared.AvroFormat;
using static KafkaCdc.Tests.Shared.SchemaRegistry.Serdes.SerdesTestData;

namespace KafkaCdc.Tests.Shared.SchemaRegistry.Serdes;

public class AvroSerializerTests : SchemaRegistryFixture
{
    [Test]
    public async Task RoundTrip_KeyAndValue_ThroughTheRegistry()
    {
        var client = CreateClient();
        var serializer = new AvroSerializer(client);
        var deserializer = new AvroDeserializer(CreateClient());
        var topic = UniqueTopic();

        var keyId = await serializer.RegisterAsync(topic, isKey: true, Key, CancellationToken.None);
        var valueId = await serializer.RegisterAsync(topic, isKey: false, Value, CancellationToken.None);
        var keyBytes = serializer.Serialize(topic, isKey: true, Key, KeyOf(7));
        var valueBytes = serializer.Serialize(topic, isKey: false, Value, ValueOf(7, "gift"));
        var key = await deserializer.DeserializeAsync(keyBytes, CancellationToken.None);
        var value = await deserializer.DeserializeAsync(valueBytes, CancellationToken.None);

        Assert.That(await client.GetAllSubjectsAsync(), Is.SupersetOf(new[] { $"{topic}-key", $"{topic}-value" }));
        Assert.That(keyBytes[..5], Is.EqualTo(ConfluentWireFormat.Frame(keyId, [])));
        Assert.That(key!.Value.SchemaId, Is.EqualTo(keyId));
        Assert.That(Datums.DeepEquals(key.Value.Datum, KeyOf(7)), Is.True, Datums.Render(key.Value.Datum));
        Assert.That(value!.Value.SchemaId, Is.EqualTo(valueId));
        Assert.That(value.Value.WriterSchema, Is.EqualTo(Value));
        Assert.That(Datums.DeepEquals(value.Value.Datum, ValueOf(7, "gift")), Is.True, Datums.Render(value.Value.Datum));
    }

    [Test]
    public void SubjectName_FollowsTopicNameStrategy()
    {
        Assert.That(AvroSerializer.SubjectName("shop_orders", isKey: true), Is.EqualTo("shop_orders-key"));
        Assert.That(AvroSerializer.SubjectName("shop_orders", isKey: false), Is.EqualTo("shop_orders-value"));
    }

    [Test]
    public void Serialize_BeforeRegister_ThrowsNamingTheSubject()
    {
        var client = CreateClient();
        var serializer = new AvroSerializer(client);

        Assert.That(() => serializer.Serialize("orders", isKey: false, Value, ValueOf(1)),
            Throws.InvalidOperationException.With.Message.Contains("\"orders-value\""));
    }

    [Test]
    public async Task RegisterAsync_AlreadyRegistered_CompletesSynchronouslyWithoutRequest()
    {
        var client = CreateClient();
        var serializer = new AvroSerializer(client);
        var topic = UniqueTopic();
        var id = await serializer.RegisterAsync(topic, isKey: false, Value, CancellationToken.None);

        var again = serializer.RegisterAsync(topic, isKey: false, Schema.Parse(ValueJson), CancellationToken.None);

        Assert.That(again.IsCompletedSuccessfully, Is.True);
        Assert.That(again.Result, Is.EqualTo(id));
    }

    [Test]
    public async Task RegisterAsync_IncompatibleChange_ThrowsNamingSubjectAndReason()
    {
        var client = CreateClient();
        var serializer = new AvroSerializer(client);
        var topic = UniqueTopic();
        await client.UpdateCompatibilityAsync(Confluent.SchemaRegistry.Compatibility.Backward, $"{topic}-key");
        await serializer.RegisterAsync(topic, isKey: true, Key, CancellationToken.None);
        var changed = Schema.Parse(KeyJson.Replace("\"long\"", "\"string\""));

        var error = Assert.ThrowsAsync<Confluent.SchemaRegistry.SchemaRegistryException>(async () =>
            await serializer.RegisterAsync(topic, isKey: true, changed, CancellationToken.None));

        Assert.That(RegistryFailures.IsTransient(error), Is.False);
        Assert.That(error.Message, Does.Contain($"{topic}-key").And.Contain("incompatible").And.Contain("TYPE_MISMATCH"));
        Assert.That(serializer.TryGetSchemaId(topic, isKey: true, changed, out _), Is.False);
    }

    [Test]
    public async Task SerializeAsync_ManyThreadsAtOnce_RegisterOnce()
    {
        var client = CreateClient();
        var serializer = new AvroSerializer(client);
        var topic = UniqueTopic();
        var schemas = Enumerable.Range(0, 4).Select(_ => Schema.Parse(ValueJson)).ToArray(); // equal, distinct instances

        var messages = await Task.WhenAll(Enumerable.Range(0, 32).Select(thread => Task.Run(async () =>
        {
            var written = new List<byte[]>();
            for (var i = 0; i < 50; i++)
                written.Add(await serializer.SerializeAsync(topic, isKey: false, schemas[(thread + i) % schemas.Length], ValueOf(i), CancellationToken.None));
            return written;
        })));

        Assert.That(messages.SelectMany(m => m).Select(m => Convert.ToHexString(m[..5])).Distinct().Count(), Is.EqualTo(1), "one schema id in every header");
    }

    [Test]
    public async Task Serialize_ValueNotFittingTheSchema_ThrowsAvroEncodingException()
    {
        var client = CreateClient();
        var serializer = new AvroSerializer(client);
        var topic = UniqueTopic();
        await serializer.RegisterAsync(topic, isKey: true, Key, CancellationToken.None);

        Assert.That(() => serializer.Serialize(topic, isKey: true, Key, AvroSchemas.NewRecord(Key, "not a long")),
            Throws.InstanceOf<AvroEncodingException>());
    }
}
