namespace KafkaCdc.Shared.SchemaRegistry.Serdes;

/// <summary>
/// A Kafka message cannot be decoded, and never will be: it is not in the Confluent wire format, its schema id is
/// unknown to the registry, or its body is not a datum of its schema. Retrying cannot help; the consumer should add
/// the topic, partition and offset and stop (or set the message aside). A registry that cannot be reached is an
/// <see cref="HttpRequestException"/> instead (<see cref="RegistryFailures.IsTransient"/>).
/// </summary>
public sealed class MessageDecodingException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What was found and why it cannot be decoded.</param>
    /// <param name="schemaId">The schema id from the header, when the header could be read.</param>
    /// <param name="innerException">The Avro or registry error behind it.</param>
    public MessageDecodingException(string message, int? schemaId, Exception? innerException)
        : base(message, innerException)
    {
        SchemaId = schemaId;
    }

    /// <summary>The schema id from the message's header, or null when the header itself is bad.</summary>
    public int? SchemaId { get; }
}
