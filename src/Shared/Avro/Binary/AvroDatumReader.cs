namespace KafkaCdc.Shared.Avro;

/// <summary>
/// Reads Avro binary datums written with one schema into the generic representation (see
/// <c>src/Shared/Avro/README.md</c>): records as <see cref="GenericRecord"/>, decimals as <see cref="AvroDecimal"/>,
/// other logical types as their underlying primitive. The decoder tree is compiled once per schema instance.
/// </summary>
/// <remarks>
/// Thread-safe. Reads the writer's schema as it is (no resolution against a different reader schema). Any invalid
/// input — truncated, corrupt, or with trailing bytes — raises <see cref="AvroDecodingException"/> and nothing else.
/// </remarks>
public sealed class AvroDatumReader
{
    private readonly DatumDecoder _decoder;

    /// <summary>Creates a reader for datums written with <paramref name="writerSchema"/>.</summary>
    public AvroDatumReader(AvroSchema writerSchema)
    {
        ArgumentNullException.ThrowIfNull(writerSchema);
        WriterSchema = writerSchema;
        _decoder = DecoderCompiler.For(writerSchema);
    }

    /// <summary>The schema the datums were written with.</summary>
    public AvroSchema WriterSchema { get; }

    /// <summary>Reads the one datum that <paramref name="body"/> holds, exactly: bytes left over are an error.</summary>
    /// <exception cref="AvroDecodingException">The bytes are not exactly one valid datum of <see cref="WriterSchema"/>.</exception>
    public object? Read(ReadOnlySpan<byte> body)
    {
        var reader = new AvroBinaryReader(body);
        var datum = Read(ref reader);
        reader.ExpectEnd();
        return datum;
    }

    /// <summary>Reads one datum from <paramref name="reader"/>, leaving it after the datum (for sequences of datums).</summary>
    /// <exception cref="AvroDecodingException">The bytes are not a valid datum of <see cref="WriterSchema"/>.</exception>
    public object? Read(ref AvroBinaryReader reader)
    {
        try
        {
            return _decoder.Read(ref reader);
        }
        catch (AvroDecodingException e) when (WriterSchema is RecordSchema record && e.PrependField(record.Name))
        {
            throw;
        }
    }
}
