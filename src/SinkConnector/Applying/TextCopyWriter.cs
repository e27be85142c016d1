using System.Buffers;
using System.Buffers.Binary;
using KafkaCdc.Shared.Postgres;

namespace KafkaCdc.SinkConnector.Applying;

/// <summary>
/// Writes PostgreSQL's COPY text format as UTF-8 (the rules of <see cref="CopyText"/>: tab between columns, newline after
/// each row, <c>\N</c> for NULL, backslash, tab, newline and carriage return escaped), straight into the COPY stream
/// under Npgsql's text writer, so texts already held as UTF-8 are never turned into strings.
/// </summary>
internal sealed class TextCopyWriter : CopyStreamBuffer
{
    static readonly SearchValues<byte> s_special = SearchValues.Create("\\\t\n\r"u8);

    bool _rowStarted;

    /// <summary>Writes into <paramref name="stream"/>: the <c>BaseStream</c> of the writer <c>BeginTextImport</c> returned, which must not be written to itself.</summary>
    public TextCopyWriter(Stream stream) : base(stream)
    {
    }

    /// <summary>Appends one column's value (null: <c>\N</c>).</summary>
    public void WriteValue(string? value)
    {
        Separate();
        if (value is null)
        {
            Append("\\N"u8);
            return;
        }
        var bytes = ArrayPool<byte>.Shared.Rent(StrictUtf8.GetMaxByteCount(value.Length));
        try
        {
            var written = StrictUtf8.GetBytes(value, bytes);
            AppendEscaped(bytes.AsSpan(0, written));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    /// <summary>Appends every field of <paramref name="row"/>'s binary COPY form as columns (a placeholder as <c>\N</c>).</summary>
    public void WriteFields(PgTextRow row)
    {
        var data = row.Data;
        var offset = 0;
        for (var i = 0; i < row.FieldCount; i++)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(data[offset..]);
            offset += 4;
            Separate();
            if (length < 0)
            {
                Append("\\N"u8);
                continue;
            }
            AppendEscaped(data.Slice(offset, length));
            offset += length;
        }
    }

    /// <summary>Ends the row.</summary>
    public void EndRow()
    {
        Append("\n"u8);
        _rowStarted = false;
    }

    /// <summary>Hands everything to the stream; the owner then completes the COPY.</summary>
    public void Finish() => Flush();

    void Separate()
    {
        if (_rowStarted) Append("\t"u8);
        _rowStarted = true;
    }

    /// <summary>Escaping byte by byte is safe in UTF-8: the four special bytes never occur inside a multi-byte character.</summary>
    void AppendEscaped(ReadOnlySpan<byte> text)
    {
        while (true)
        {
            var special = text.IndexOfAny(s_special);
            if (special < 0)
            {
                Append(text);
                return;
            }
            Append(text[..special]);
            var escape = Reserve(2);
            escape[0] = (byte)'\\';
            escape[1] = text[special] switch
            {
                (byte)'\\' => (byte)'\\',
                (byte)'\t' => (byte)'t',
                (byte)'\n' => (byte)'n',
                _ => (byte)'r',
            };
            Advance(2);
            text = text[(special + 1)..];
        }
    }
}
