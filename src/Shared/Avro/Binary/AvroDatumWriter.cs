using System.Buffers;

namespace KafkaCdc.Shared.Avro;

/// <summary>
/// Writes values in the generic representation (see <c>src/Shared/Avro/README.md</c>) as Avro binary datums of one
/// schema. The encoder tree is compiled once per schema instance and cached on it, so creating writers is cheap
/// and writing does no per-field lookups or reflection.
/// </summary>
/// <remarks>
/// Thread-safe: one writer may be used by many threads at once. Logical types accept their underlying value and,
/// for convenience, .NET values: decimals <see cref="AvroDecimal"/>, <see cref="decimal"/> and
/// <see cref="System.Numerics.BigInteger"/> (an integer), rescaled only when exact; <c>uuid</c>
/// <see cref="Guid"/>; <c>date</c> <see cref="DateOnly"/>; times <see cref="TimeOnly"/> and <see cref="TimeSpan"/>;
/// timestamps <see cref="DateTime"/> and <see cref="DateTimeOffset"/> (see <see cref="AvroLogicalValues"/>).
/// </remarks>
public sealed class AvroDatumWriter
{
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    private readonly DatumEncoder _encoder;

    /// <summary>Creates a writer for <paramref name="schema"/>.</summary>
    public AvroDatumWriter(AvroSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        Schema = schema;
        _encoder = EncoderCompiler.For(schema);
    }

    /// <summary>The schema values are written with.</summary>
    public AvroSchema Schema { get; }

    /// <summary>Appends the encoding of <paramref name="datum"/> to <paramref name="output"/>.</summary>
    /// <exception cref="AvroEncodingException">The value does not fit the schema; the output may hold part of the datum.</exception>
    public void Write(object? datum, IBufferWriter<byte> output)
    {
        var writer = new AvroBinaryWriter(output);
        Write(datum, ref writer);
        writer.Flush();
    }

    /// <summary>Writes the encoding of <paramref name="datum"/> with <paramref name="writer"/>, e.g. after a header; the caller flushes.</summary>
    /// <exception cref="AvroEncodingException">The value does not fit the schema.</exception>
    public void Write(object? datum, ref AvroBinaryWriter writer)
    {
        try
        {
            _encoder.Write(ref writer, datum);
        }
        catch (AvroEncodingException e) when (Schema is RecordSchema record && e.PrependField(record.Name))
        {
            throw;
        }
    }

    /// <summary>The encoding of <paramref name="datum"/> as a new array.</summary>
    /// <exception cref="AvroEncodingException">The value does not fit the schema.</exception>
    public byte[] Serialize(object? datum)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        Write(datum, buffer);
        return buffer.WrittenSpan.ToArray();
    }
}
