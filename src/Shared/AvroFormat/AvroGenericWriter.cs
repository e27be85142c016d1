using Avro;
using Avro.Generic;
using Avro.IO;

namespace KafkaCdc.Shared.AvroFormat;

/// <summary>
/// Writes datums of one schema with Apache.Avro's <see cref="GenericDatumWriter{T}"/>: the datums KafkaCdc builds
/// (<see cref="GenericRecord"/>, <c>object[]</c> arrays, primitives, <see cref="AvroDecimal"/>), with dates, times and
/// UUIDs as their raw int, long or string (<see cref="AvroSchemas.WithoutConvertedLogicalTypes"/>: the same bytes).
/// A datum that does not fit the schema is an <see cref="AvroEncodingException"/>.
/// </summary>
/// <remarks>Thread-safe: Apache.Avro's writer is immutable once built, and each thread has its own buffer.</remarks>
public sealed class AvroGenericWriter
{
    [ThreadStatic]
    static (MemoryStream Buffer, BinaryEncoder Encoder)? t_buffer;

    readonly GenericDatumWriter<object> _writer;

    /// <summary>A writer of <paramref name="schema"/>'s datums.</summary>
    public AvroGenericWriter(Schema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        Schema = schema;
        _writer = new GenericDatumWriter<object>(AvroSchemas.WithoutConvertedLogicalTypes(schema));
    }

    /// <summary>The schema written.</summary>
    public Schema Schema { get; }

    /// <summary>Writes <paramref name="datum"/> to <paramref name="encoder"/> (whose stream the caller owns).</summary>
    /// <exception cref="AvroEncodingException">The datum does not fit the schema.</exception>
    public void Write(object? datum, Encoder encoder)
    {
        try
        {
            _writer.Write(datum!, encoder);
        }
        catch (Exception e) when (e is AvroException or InvalidCastException or ArgumentException or NullReferenceException or KeyNotFoundException)
        {
            throw new AvroEncodingException($"the datum does not fit {(Schema is NamedSchema named ? named.Fullname : Schema.ToString())}: {e.Message}", e);
        }
    }

    /// <summary>The encoding of <paramref name="datum"/>, after a <paramref name="prefix"/> (e.g. the wire-format header).</summary>
    /// <exception cref="AvroEncodingException">The datum does not fit the schema.</exception>
    public byte[] Serialize(object? datum, ReadOnlySpan<byte> prefix = default)
    {
        var (buffer, encoder) = t_buffer ??= Create();
        buffer.SetLength(0);
        buffer.Write(prefix);
        Write(datum, encoder);
        encoder.Flush();
        return buffer.ToArray();

        static (MemoryStream, BinaryEncoder) Create()
        {
            var stream = new MemoryStream(512);
            return (stream, new BinaryEncoder(stream));
        }
    }
}
