namespace KafkaCdc.SinkConnector.Errors;

/// <summary>
/// A record the sink can never write as it is (no key where one is needed, an unknown op, a key field that does not
/// exist...). The message says what is wrong with it and what to change; the record's position is added by whoever
/// reports it (<c>RecordFailure</c>).
/// </summary>
public class UnwritableRecordException : Exception
{
    /// <summary>Creates the exception.</summary>
    public UnwritableRecordException(string message, Exception? innerException = null) : base(message, innerException) { }
}
