namespace KafkaCdc.Shared.AvroFormat;

/// <summary>
/// A datum does not fit the schema it is written with (a value of another type, a decimal of another scale, a missing
/// field). The datum is at fault, not the writer: writing it again fails again.
/// </summary>
public sealed class AvroEncodingException : Exception
{
    /// <summary>Creates the exception with the problem and Apache.Avro's exception.</summary>
    public AvroEncodingException(string problem, Exception? innerException = null)
        : base(problem, innerException)
    {
    }
}
