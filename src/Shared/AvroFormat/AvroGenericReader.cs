using Avro;
using Avro.Generic;
using Avro.IO;

namespace KafkaCdc.Shared.AvroFormat;

/// <summary>
/// Reads whole datums of one writer schema with Apache.Avro's <see cref="GenericDatumReader{T}"/>, as
/// <see cref="GenericRecord"/>, <c>object[]</c> arrays, <c>IDictionary&lt;string, object&gt;</c> maps and primitives,
/// with dates, times and UUIDs as their raw int, long or string (<see cref="AvroSchemas.WithoutConvertedLogicalTypes"/>)
/// and decimals as <see cref="AvroDecimal"/>. The bytes are checked first by <see cref="AvroSkip"/> (lengths within the
/// body, union and enum indexes, UTF-8, nothing left over), so that bad bytes are an <see cref="AvroDecodingException"/>
/// with the offset rather than whatever Apache.Avro makes of them (a huge allocation for a bogus length, replacement
/// characters for invalid UTF-8).
/// </summary>
/// <remarks>Thread-safe: Apache.Avro's reader is immutable once built, and each call has its own stream.</remarks>
public sealed class AvroGenericReader
{
    readonly GenericDatumReader<object> _reader;
    readonly AvroSkip _check;

    /// <summary>A reader of datums written with <paramref name="writerSchema"/>.</summary>
    public AvroGenericReader(Schema writerSchema)
    {
        ArgumentNullException.ThrowIfNull(writerSchema);
        WriterSchema = writerSchema;
        var raw = AvroSchemas.WithoutConvertedLogicalTypes(writerSchema);
        _reader = new GenericDatumReader<object>(raw, raw);
        _check = AvroSkip.For(writerSchema);
    }

    /// <summary>The schema the datums were written with.</summary>
    public Schema WriterSchema { get; }

    /// <summary>Reads the one datum <paramref name="body"/> holds.</summary>
    /// <exception cref="AvroDecodingException">The bytes are not exactly one datum of the schema.</exception>
    public object? Read(ReadOnlySpan<byte> body)
    {
        var check = new AvroBinaryReader(body);
        _check.Read(ref check);
        check.ExpectEnd();

        using var stream = new MemoryStream(body.ToArray(), writable: false);
        object? datum;
        try
        {
            datum = _reader.Read(null!, new BinaryDecoder(stream));
        }
        catch (Exception e) when (e is AvroException or IOException or ArgumentException or OverflowException or InvalidCastException)
        {
            throw new AvroDecodingException($"not a datum of {Describe(WriterSchema)}: {e.Message}", stream.Position, e);
        }

        return datum;
    }

    static string Describe(Schema schema) => schema is NamedSchema named ? named.Fullname : schema.Tag.ToString().ToLowerInvariant();
}
