namespace KafkaCdc.Shared.Avro;

/// <summary>
/// A value does not fit the schema it is written with: wrong runtime type, a number out of range, a decimal that
/// needs rounding or too many digits, a symbol the enum lacks, a value no union branch accepts. The message starts
/// with the path of the value in the datum, e.g. <c>Value.after.amount: expected long, got String</c>.
/// </summary>
/// <remarks>When writing to an <see cref="System.Buffers.IBufferWriter{T}"/> fails, the output may already hold part of the datum; discard it.</remarks>
public sealed class AvroEncodingException : AvroException
{
    /// <summary>Creates the exception for a problem found at the value being written; enclosing encoders add the path.</summary>
    public AvroEncodingException(string problem, Exception? innerException = null)
        : base(problem, innerException)
    {
        Problem = problem;
    }

    /// <summary>What is wrong with the value, without its location.</summary>
    public string Problem { get; }

    /// <summary>Where the value is: the root record's name, then field names, <c>[index]</c> for array items and <c>["key"]</c> for map values.</summary>
    public string Path { get; private set; } = "";

    /// <inheritdoc />
    public override string Message => Path.Length == 0 ? Problem : $"{Path}: {Problem}";

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
