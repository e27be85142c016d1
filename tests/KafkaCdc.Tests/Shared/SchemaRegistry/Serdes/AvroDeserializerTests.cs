using System.Net;
using System.Net.Sockets;
using KafkaCdc.Shared.AvroFormat;
using KafkaCdc.Shared.SchemaRegistry;
using KafkaCdc.Shared.SchemaRegistry.Serdes;
using KafkaCdc.Tests.DevStack.SchemaRegistry;
using KafkaCdc.Tests.Shared.AvroFormat;
using static KafkaCdc.Tests.Shared.SchemaRegistry.Serdes.SerdesTestData;

namespace KafkaCdc.Tests.Shared.SchemaRegistry.Serdes;

public class AvroDeserializerTests : SchemaRegistryFixture
{
    async Task<(byte[] Message, int SchemaId)> ValueMessageAsync(long id = 1)
    {
        var client = CreateClient();
        var serializer = new AvroSerializer(client);
        var topic = UniqueTopic();
        var schemaId = await serializer.RegisterAsync(topic, isKey: false, Value, CancellationToken.None);
        return (serializer.Serialize(topic, isKey: false, Value, ValueOf(id)), schemaId);
    }

    [Test]
    public async Task Deserialize_EmptyMessage_IsATombstone()
    {
        var deserializer = new AvroDeserializer(CreateClient());

        Assert.That(await deserializer.DeserializeAsync(ReadOnlyMemory<byte>.Empty, CancellationToken.None), Is.Null);
        Assert.That(await deserializer.DeserializeAsync((byte[]?)null, CancellationToken.None), Is.Null);
    }

    [Test]
    public void Deserialize_WrongMagicByte_ThrowsSayingWhatWasFound()
    {
        var deserializer = new AvroDeserializer(CreateClient());

        var error = Assert.ThrowsAsync<MessageDecodingException>(async () =>
            await deserializer.DeserializeAsync(new byte[] { 0x7b, 0, 0, 0, 1, 2 }, CancellationToken.None));

        Assert.That(error.Message, Does.Contain("0x7b").And.Contain("magic byte"));
        Assert.That(error.SchemaId, Is.Null);
        Assert.That(error.InnerException, Is.InstanceOf<AvroDecodingException>());
    }

    [Test]
    public void Deserialize_TruncatedHeader_ThrowsSayingTheLength()
    {
        var deserializer = new AvroDeserializer(CreateClient());

        var error = Assert.ThrowsAsync<MessageDecodingException>(async () =>
            await deserializer.DeserializeAsync(new byte[] { 0, 0, 1 }, CancellationToken.None));

        Assert.That(error.Message, Does.Contain("3 bytes").And.Contain("too short"));
    }

    [Test]
    public void Deserialize_UnknownSchemaId_ThrowsNamingTheIdAndErrorCode()
    {
        var deserializer = new AvroDeserializer(CreateClient());

        var error = Assert.ThrowsAsync<MessageDecodingException>(async () =>
            await deserializer.DeserializeAsync(ConfluentWireFormat.Frame(912345, [2]), CancellationToken.None));

        Assert.That(error.SchemaId, Is.EqualTo(912345));
        Assert.That(error.Message, Does.Contain("912345").And.Contain("40403"));
        Assert.That(error.InnerException, Is.TypeOf<Confluent.SchemaRegistry.SchemaRegistryException>());
    }

    [Test]
    public async Task Deserialize_TruncatedBody_ThrowsWithTheSchemaId()
    {
        var (message, schemaId) = await ValueMessageAsync();
        var deserializer = new AvroDeserializer(CreateClient());

        var error = Assert.ThrowsAsync<MessageDecodingException>(async () =>
            await deserializer.DeserializeAsync(message[..^3], CancellationToken.None));

        Assert.That(error.SchemaId, Is.EqualTo(schemaId));
        Assert.That(error.Message, Does.Contain($"schema id {schemaId}"));
        Assert.That(error.InnerException, Is.InstanceOf<AvroDecodingException>());
    }

    [Test]
    public async Task Deserialize_RegistryUnreachable_ThrowsTransientRegistryError()
    {
        var (message, _) = await ValueMessageAsync();
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        var options = SchemaRegistryClientOptions.ForUrl($"http://127.0.0.1:{port}/");
        using var client = new Confluent.SchemaRegistry.CachedSchemaRegistryClient(
            new Dictionary<string, string>(options.ClientConfig) { ["schema.registry.max.retries"] = "1" });
        var deserializer = new AvroDeserializer(client);

        var error = Assert.ThrowsAsync<HttpRequestException>(async () => await deserializer.DeserializeAsync(message, CancellationToken.None));

        Assert.That(RegistryFailures.IsTransient(error), Is.True, error.Message);
    }

    [Test]
    public async Task Deserialize_RegistryConnectionResetOnceAccepted_ThrowsTransientRegistryError()
    {
        var (message, _) = await ValueMessageAsync();
        // What HttpClient throws when the registry's connection is reset between its connect and its reading the remote
        // end point (a proxy before a registry that is down): a bare SocketException, no HttpRequestException around it.
        var deserializer = new AvroDeserializer(ResettingRegistry.Create());

        var error = Assert.ThrowsAsync<HttpRequestException>(async () => await deserializer.DeserializeAsync(message, CancellationToken.None));

        // Regression: the bare SocketException went through, the sink's task did not retry it and the process exited.
        Assert.That(RegistryFailures.IsTransient(error), Is.True, error.Message);
        Assert.That(error.InnerException, Is.InstanceOf<SocketException>());
    }

    [Test]
    public async Task Deserialize_SecondMessageOfASchema_CompletesSynchronously()
    {
        var (message, schemaId) = await ValueMessageAsync();
        var deserializer = new AvroDeserializer(CreateClient());
        await deserializer.DeserializeAsync(message, CancellationToken.None);

        var second = deserializer.DeserializeAsync(message, CancellationToken.None);

        Assert.That(second.IsCompletedSuccessfully, Is.True);
        Assert.That(second.Result!.Value.SchemaId, Is.EqualTo(schemaId));
    }

    [Test]
    public async Task Deserialize_ManyThreadsAtOnce_FetchTheSchemaOnce()
    {
        var (message, _) = await ValueMessageAsync(5);
        var deserializer = new AvroDeserializer(CreateClient());

        var decoded = await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => Task.Run(async () =>
            (await deserializer.DeserializeAsync(message, CancellationToken.None))!.Value.Datum)));

        Assert.That(decoded.All(d => Datums.DeepEquals(d, ValueOf(5))), Is.True);
    }
}
