namespace KafkaCdc.Shared.Avro;

/// <summary>
/// Base of every error raised by the Avro library: an invalid schema (<see cref="AvroSchemaException"/>), a value
/// that does not fit its schema (<see cref="AvroEncodingException"/>) or bytes that are not a valid datum
/// (<see cref="AvroDecodingException"/>). None of them is transient: retrying the same input fails the same way.
/// </summary>
public abstract class AvroException : Exception
{
    /// <summary>Creates the exception.</summary>
    protected AvroException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
