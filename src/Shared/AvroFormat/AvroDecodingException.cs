namespace KafkaCdc.Shared.AvroFormat;

/// <summary>
/// Bytes are not a valid Avro datum of the writer schema: truncated, a length or count that does not fit, a union
/// or enum index out of range, an over-long varint, invalid UTF-8, trailing bytes, or a malformed Confluent frame.
/// Carries the byte offset where the problem was detected and the path of the value being read.
/// </summary>
/// <remarks>The input is at fault, not the reader: a message that fails to decode fails again on retry (poison message).</remarks>
public sealed class AvroDecodingException : Exception
{
    /// <summary>Creates the exception for a problem at <paramref name="offset"/>; enclosing decoders add the path.</summary>
    public AvroDecodingException(string problem, long offset, Exception? innerException = null)
        : base(problem, innerException)
    {
        Problem = problem;
        Offset = offset;
    }

    /// <summary>What is wrong with the bytes, without its location.</summary>
    public string Problem { get; }

    /// <summary>Offset in the decoded span (the Avro body, or the whole message for framing errors) where the problem was detected.</summary>
    public long Offset { get; }

    /// <summary>Where the value being read is: the root record's name, then field names, <c>[index]</c> and <c>["key"]</c>; empty at the top level.</summary>
    public string Path { get; private set; } = "";

    /// <inheritdoc />
    public override string Message =>
        Path.Length == 0 ? $"{Problem} (at byte offset {Offset})" : $"{Path}: {Problem} (at byte offset {Offset})";

    // These run as exception filters and return false, so the exception keeps unwinding without being caught and
    // rethrown: a rethrow per nesting level would grow the stack during dispatch and overflow it on deep data.
    internal bool PrependField(string field)
    {
        Path = DatumPath.PrependField(Path, field);
        return false;
    }

    internal bool PrependIndex(long index)
    {
        Path = DatumPath.PrependIndex(Path, index);
        return false;
    }

    internal bool PrependKey(string key)
    {
        Path = DatumPath.PrependKey(Path, key);
        return false;
    }
}
