using System.Collections.Concurrent;
using System.Net.Sockets;
using Avro;
using Confluent.SchemaRegistry;
using KafkaCdc.Shared.AvroFormat;
using Schema = Avro.Schema;

namespace KafkaCdc.Shared.SchemaRegistry.Serdes;

/// <summary>
/// Decodes Kafka message keys and values written in the Confluent wire format (<see cref="ConfluentWireFormat"/>),
/// fetching each writer schema from the registry by the id in the message's header.
/// </summary>
/// <remarks>
/// <para>Schemas and their compiled <see cref="AvroGenericReader"/>s are kept by id for the deserializer's lifetime
/// (a registry never changes the schema of an id), so after the first message of a schema decoding completes
/// synchronously. Datums are read with the writer's schema as it is, without resolution to another reader schema.</para>
/// <para>Errors: <see cref="MessageDecodingException"/> for messages that can never be decoded;
/// <see cref="HttpRequestException"/> (or its <see cref="SchemaRegistryException"/>) when the registry fails otherwise
/// (<see cref="RegistryFailures.IsTransient"/>). Thread-safe.</para>
/// </remarks>
public sealed class AvroDeserializer
{
    readonly ISchemaRegistryClient _registry;
    readonly ConcurrentDictionary<int, AvroGenericReader> _readers = new();

    /// <summary>Creates a deserializer fetching schemas from <paramref name="registry"/>.</summary>
    public AvroDeserializer(ISchemaRegistryClient registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        _registry = registry;
    }

    /// <summary>Decodes one message key or value.</summary>
    /// <param name="message">The raw bytes; empty (a null key or a tombstone value) gives null.</param>
    /// <param name="cancellationToken">Cancels waiting for the registry.</param>
    /// <exception cref="MessageDecodingException">Not the wire format, an unknown schema id, or a corrupt body.</exception>
    /// <exception cref="HttpRequestException">The registry could not be reached through the client's retries, or (as its
    /// subclass <see cref="SchemaRegistryException"/>) refused the request: <see cref="RegistryFailures.IsTransient"/> tells which.</exception>
    public ValueTask<AvroMessage?> DeserializeAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
    {
        if (message.IsEmpty) return new ValueTask<AvroMessage?>((AvroMessage?)null);
        var schemaId = SchemaIdOf(message.Span);
        return _readers.TryGetValue(schemaId, out var reader)
            ? new ValueTask<AvroMessage?>(Decode(schemaId, reader, message.Span))
            : new ValueTask<AvroMessage?>(FetchAndDecodeAsync(schemaId, message, cancellationToken));
    }

    async Task<AvroMessage?> FetchAndDecodeAsync(int schemaId, ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
    {
        string text;
        try
        {
            text = (await _registry.GetSchemaAsync(schemaId).WaitAsync(cancellationToken)).SchemaString;
        }
        catch (SchemaRegistryException e) when (e.ErrorCode == 40403)
        {
            throw new MessageDecodingException(
                $"Schema id {schemaId} in the message header is unknown to the schema registry ({e.Message}); " +
                "the message was written against another registry, or its schema was deleted", schemaId, e);
        }
        catch (Exception e) when (e is SocketException or IOException)
        {
            // HttpClient lets a connection reset right after it was accepted (a proxy or load balancer before a registry
            // that is down) escape as a bare SocketException, not the HttpRequestException of an unreachable registry.
            throw new HttpRequestException(HttpRequestError.ConnectionError, $"the schema registry could not be reached: {e.Message}", e);
        }

        Schema schema;
        try
        {
            schema = Schema.Parse(text);
        }
        catch (AvroException e)
        {
            throw new MessageDecodingException($"Schema id {schemaId} from the registry is not a valid Avro schema: {e.Message}", schemaId, e);
        }

        var reader = _readers.GetOrAdd(schemaId, new AvroGenericReader(schema));
        return Decode(schemaId, reader, message.Span);
    }

    static int SchemaIdOf(ReadOnlySpan<byte> message)
    {
        try
        {
            ConfluentWireFormat.ReadHeader(message, out var schemaId);
            return schemaId;
        }
        catch (AvroDecodingException e)
        {
            throw new MessageDecodingException($"The message is not in the Confluent wire format: {e.Message}", null, e);
        }
    }

    static AvroMessage Decode(int schemaId, AvroGenericReader reader, ReadOnlySpan<byte> message)
    {
        try
        {
            return new AvroMessage(schemaId, reader.WriterSchema, reader.Read(message[ConfluentWireFormat.HeaderSize..]));
        }
        catch (AvroDecodingException e)
        {
            throw new MessageDecodingException(
                $"The body of a message written with schema id {schemaId} is not a valid datum of that schema: {e.Message}", schemaId, e);
        }
    }
}
