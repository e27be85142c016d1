using System.Buffers;
using System.Collections.Concurrent;
using Confluent.SchemaRegistry;
using KafkaCdc.Shared.AvroFormat;
using RegistrySchema = Confluent.SchemaRegistry.Schema;
using Schema = Avro.Schema;

namespace KafkaCdc.Shared.SchemaRegistry.Serdes;

/// <summary>
/// Serializes Kafka message keys and values as Avro in the Confluent wire format (<see cref="ConfluentWireFormat"/>:
/// magic byte 0, the 4-byte big-endian schema id, the Avro binary body), registering schemas under TopicNameStrategy
/// subjects: <c>&lt;topic&gt;-key</c> and <c>&lt;topic&gt;-value</c>.
/// </summary>
/// <remarks>
/// <para>Call <see cref="RegisterAsync"/> before the first record that needs a schema, so that a change the registry
/// rejects (incompatible, invalid) stops the producer with the registry's reason before anything is written.
/// <see cref="Serialize(string, bool, Schema, object?)"/> then runs without awaits or registry calls: a dictionary
/// lookup by schema instance, the <see cref="AvroGenericWriter"/> of the schema and
/// a per-thread buffer, so it allocates only the returned array.</para>
/// <para>Registrations are kept for the serializer's lifetime. Thread-safe.</para>
/// </remarks>
public sealed class AvroSerializer
{
    [ThreadStatic]
    static ArrayBufferWriter<byte>? t_buffer;

    readonly ISchemaRegistryClient _registry;
    readonly ConcurrentDictionary<SchemaKey, Registration> _registrations = new();

    /// <summary>Creates a serializer registering with <paramref name="registry"/>.</summary>
    public AvroSerializer(ISchemaRegistryClient registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        _registry = registry;
    }

    /// <summary>The TopicNameStrategy subject of a topic's keys or values: <c>&lt;topic&gt;-key</c> or <c>&lt;topic&gt;-value</c>.</summary>
    public static string SubjectName(string topic, bool isKey) => topic + (isKey ? "-key" : "-value");

    /// <summary>
    /// Registers <paramref name="schema"/> under the topic's key or value subject, once: later calls for the same
    /// topic, side and schema complete synchronously.
    /// </summary>
    /// <returns>The schema id written into every message serialized with this schema.</returns>
    /// <exception cref="SchemaRegistryException">The registry rejected the schema (its message and error code).</exception>
    /// <exception cref="HttpRequestException">The registry could not be reached, or kept failing, through Confluent's retries.</exception>
    public ValueTask<int> RegisterAsync(string topic, bool isKey, Schema schema, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(topic);
        ArgumentNullException.ThrowIfNull(schema);
        return _registrations.TryGetValue(new SchemaKey(topic, isKey, schema), out var registration)
            ? new ValueTask<int>(registration.SchemaId)
            : new ValueTask<int>(RegisterNewAsync(topic, isKey, schema, cancellationToken));
    }

    /// <summary>The schema id of a registered schema, if <see cref="RegisterAsync"/> completed for it.</summary>
    public bool TryGetSchemaId(string topic, bool isKey, Schema schema, out int schemaId)
    {
        var found = _registrations.TryGetValue(new SchemaKey(topic, isKey, schema), out var registration);
        schemaId = found ? registration!.SchemaId : 0;
        return found;
    }

    /// <summary>The framed message of <paramref name="datum"/>, whose schema must be registered already.</summary>
    /// <exception cref="InvalidOperationException"><see cref="RegisterAsync"/> has not completed for this topic, side and schema.</exception>
    /// <exception cref="AvroEncodingException">The value does not fit the schema; the message gives the value's path.</exception>
    public byte[] Serialize(string topic, bool isKey, Schema schema, object? datum)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(4096);
        buffer.ResetWrittenCount();
        Serialize(topic, isKey, schema, datum, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Appends the framed message of <paramref name="datum"/> to <paramref name="output"/>; the schema must be registered already.</summary>
    /// <exception cref="InvalidOperationException"><see cref="RegisterAsync"/> has not completed for this topic, side and schema.</exception>
    /// <exception cref="AvroEncodingException">The value does not fit the schema; <paramref name="output"/> may hold part of the message.</exception>
    public void Serialize(string topic, bool isKey, Schema schema, object? datum, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(schema);
        if (!_registrations.TryGetValue(new SchemaKey(topic, isKey, schema), out var registration))
        {
            throw new InvalidOperationException(
                $"No schema id for subject \"{SubjectName(topic, isKey)}\": call RegisterAsync with this schema before Serialize, or use SerializeAsync");
        }

        Span<byte> header = stackalloc byte[ConfluentWireFormat.HeaderSize];
        ConfluentWireFormat.WriteHeader(registration.SchemaId, header);
        var message = registration.Writer.Serialize(datum, header);
        message.CopyTo(output.GetSpan(message.Length));
        output.Advance(message.Length);
    }

    /// <summary>Registers the schema if needed (synchronous once registered), then serializes <paramref name="datum"/>.</summary>
    /// <exception cref="SchemaRegistryException">The registry rejected the schema (its message and error code).</exception>
    /// <exception cref="HttpRequestException">The registry could not be reached, or kept failing, through Confluent's retries.</exception>
    /// <exception cref="AvroEncodingException">The value does not fit the schema.</exception>
    public async ValueTask<byte[]> SerializeAsync(string topic, bool isKey, Schema schema, object? datum, CancellationToken cancellationToken)
    {
        await RegisterAsync(topic, isKey, schema, cancellationToken);
        return Serialize(topic, isKey, schema, datum);
    }

    async Task<int> RegisterNewAsync(string topic, bool isKey, Schema schema, CancellationToken cancellationToken)
    {
        var id = await _registry.RegisterSchemaAsync(SubjectName(topic, isKey), new RegistrySchema(schema.ToString(), SchemaType.Avro))
            .WaitAsync(cancellationToken);
        _registrations.TryAdd(new SchemaKey(topic, isKey, schema), new Registration(id, new AvroGenericWriter(schema)));
        return id;
    }

    sealed record Registration(int SchemaId, AvroGenericWriter Writer);

    /// <summary>
    /// Topic, side and schema. Schemas compare by instance first (the producer reuses its instances, so the usual
    /// lookup never compares schema text).
    /// </summary>
    readonly struct SchemaKey(string topic, bool isKey, Schema schema) : IEquatable<SchemaKey>
    {
        readonly string _topic = topic;
        readonly bool _isKey = isKey;
        readonly Schema _schema = schema;

        public bool Equals(SchemaKey other) =>
            _isKey == other._isKey
            && string.Equals(_topic, other._topic, StringComparison.Ordinal)
            && ReferenceEquals(_schema, other._schema);

        public override bool Equals(object? obj) => obj is SchemaKey other && Equals(other);

        // By reference: Apache.Avro computes a schema's hash by walking it, too slow per record. An equal schema in
        // another instance is registered once more (the registry answers with the same id).
        public override int GetHashCode() => HashCode.Combine(_topic, _isKey, System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(_schema));
    }
}
