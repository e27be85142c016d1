using Avro;
using KafkaCdc.Shared.AvroFormat;

namespace KafkaCdc.Shared.Postgres;

/// <summary>
/// Reads a row record's Avro binary encoding straight into a <see cref="PgTextRow"/>: each field's PostgreSQL text
/// input, exactly what <see cref="PgColumnDefinition.Encoder"/> gives for the datum <see cref="AvroGenericReader"/>
/// would return, without building that datum for the common types (see <see cref="PgTextFieldReader"/>).
/// </summary>
/// <remarks>
/// Compiled once per row schema. Not thread-safe: it writes through one buffer (one decoder per consumer). Invalid
/// input raises <see cref="AvroDecodingException"/>; a datum the type layer cannot write raises
/// <see cref="PgValueEncodingException"/> or another exception of the encoders. Either way nothing is returned, and a
/// caller that wants the generic path's exact error decodes the record generically.
/// </remarks>
public sealed class PgTextRowDecoder
{
    private readonly PgTextFieldReader[] _fields;
    private readonly PgTextRowBuffer _buffer = new();

    private PgTextRowDecoder(RecordSchema row)
    {
        Schema = row;
        _fields = [.. row.Fields.Select(PgTextFieldReader.For)];
    }

    /// <summary>The row schema.</summary>
    public RecordSchema Schema { get; }

    /// <summary>The decoder of rows of <paramref name="row"/>.</summary>
    /// <exception cref="ArgumentException">A field has no text form (its schema is only <c>null</c>).</exception>
    public static PgTextRowDecoder For(RecordSchema row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return new PgTextRowDecoder(row);
    }

    /// <summary>Reads one row record from <paramref name="reader"/>, leaving it after the record.</summary>
    public PgTextRow Read(ref AvroBinaryReader reader)
    {
        _buffer.Clear();
        foreach (var field in _fields)
        {
            field.Read(ref reader, _buffer);
        }

        return _buffer.ToRow();
    }
}
