using System.Buffers.Binary;
using System.Text;

namespace KafkaCdc.Shared.Postgres;

/// <summary>
/// A row image as PostgreSQL text input, one field per Avro field of the row schema, held as the fields of a binary
/// COPY row into <c>text</c> columns: per field a 32-bit big-endian length and that many UTF-8 bytes, or length
/// <see cref="NullLength"/> for SQL NULL. The texts are exactly what <see cref="PgColumnEncoder.Encode"/> gives for
/// the field's datum. Made by <see cref="PgTextRowDecoder"/>; immutable.
/// </summary>
/// <remarks>
/// One array per row, so a row waiting in a batch is two objects rather than a graph of boxed datums and strings.
/// A field holding the unchanged-TOAST placeholder (<see cref="PgUnavailableValue"/>) has length
/// <see cref="UnavailableLength"/> and no bytes: it is not a value to write.
/// </remarks>
public sealed class PgTextRow
{
    /// <summary>The length of a NULL field, as in binary COPY.</summary>
    public const int NullLength = -1;

    /// <summary>The length marking the unchanged-TOAST placeholder (never written to COPY as it is).</summary>
    public const int UnavailableLength = -2;

    private readonly byte[] _data;

    internal PgTextRow(byte[] data, int fieldCount, bool hasUnavailable)
    {
        _data = data;
        FieldCount = fieldCount;
        HasUnavailable = hasUnavailable;
    }

    /// <summary>The number of fields.</summary>
    public int FieldCount { get; }

    /// <summary>Whether any field holds the unchanged-TOAST placeholder.</summary>
    public bool HasUnavailable { get; }

    /// <summary>The fields in binary COPY form (valid as COPY data only when <see cref="HasUnavailable"/> is false).</summary>
    public ReadOnlySpan<byte> Data => _data;

    /// <summary>The offset in <see cref="Data"/> of field <paramref name="index"/>'s length word.</summary>
    public int OffsetOf(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, FieldCount);
        var offset = 0;
        for (var i = 0; i < index; i++)
        {
            offset = Next(offset);
        }

        return offset;
    }

    /// <summary>The length of field <paramref name="index"/>: the byte count, <see cref="NullLength"/> or <see cref="UnavailableLength"/>.</summary>
    public int LengthOf(int index) => BinaryPrimitives.ReadInt32BigEndian(_data.AsSpan(OffsetOf(index)));

    /// <summary>The UTF-8 text of field <paramref name="index"/> (empty for NULL and the placeholder: check <see cref="LengthOf"/>).</summary>
    public ReadOnlySpan<byte> Utf8Of(int index)
    {
        var offset = OffsetOf(index);
        var length = BinaryPrimitives.ReadInt32BigEndian(_data.AsSpan(offset));
        return length < 0 ? default : _data.AsSpan(offset + 4, length);
    }

    /// <summary>The text of field <paramref name="index"/>, or null for SQL NULL and the placeholder.</summary>
    public string? TextOf(int index)
    {
        var offset = OffsetOf(index);
        var length = BinaryPrimitives.ReadInt32BigEndian(_data.AsSpan(offset));
        return length < 0 ? null : Encoding.UTF8.GetString(_data, offset + 4, length);
    }

    /// <summary>Whether field <paramref name="index"/> holds the unchanged-TOAST placeholder.</summary>
    public bool IsUnavailable(int index) => HasUnavailable && LengthOf(index) == UnavailableLength;

    private int Next(int offset)
    {
        var length = BinaryPrimitives.ReadInt32BigEndian(_data.AsSpan(offset));
        return offset + 4 + Math.Max(0, length);
    }
}
