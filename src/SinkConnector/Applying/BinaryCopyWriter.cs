using System.Buffers.Binary;

namespace KafkaCdc.SinkConnector.Applying;

/// <summary>
/// Writes PostgreSQL's binary COPY format (<see href="https://www.postgresql.org/docs/current/sql-copy.html">COPY, "Binary
/// Format"</see>) into a raw COPY stream: the header, rows of length-prefixed fields, the trailer. Booleans and text only,
/// which is what the upsert staging table holds; text fields may come pre-encoded (<see cref="WriteFields"/>).
/// </summary>
internal sealed class BinaryCopyWriter : CopyStreamBuffer
{
    static ReadOnlySpan<byte> Header => [(byte)'P', (byte)'G', (byte)'C', (byte)'O', (byte)'P', (byte)'Y', (byte)'\n', 0xff, (byte)'\r', (byte)'\n', 0, 0, 0, 0, 0, 0, 0, 0, 0];

    /// <summary>Starts the COPY data on <paramref name="stream"/> (from <c>BeginRawBinaryCopy</c>) with the header.</summary>
    public BinaryCopyWriter(Stream stream) : base(stream) => Append(Header);

    /// <summary>Starts a row of <paramref name="fields"/> fields.</summary>
    public void StartRow(int fields)
    {
        BinaryPrimitives.WriteInt16BigEndian(Reserve(2), checked((short)fields));
        Advance(2);
    }

    public void WriteBoolean(bool value)
    {
        var span = Reserve(5);
        BinaryPrimitives.WriteInt32BigEndian(span, 1);
        span[4] = value ? (byte)1 : (byte)0;
        Advance(5);
    }

    public void WriteNull()
    {
        BinaryPrimitives.WriteInt32BigEndian(Reserve(4), -1);
        Advance(4);
    }

    public void WriteText(string value)
    {
        var span = Reserve(4 + StrictUtf8.GetMaxByteCount(value.Length));
        var written = StrictUtf8.GetBytes(value, span[4..]);
        BinaryPrimitives.WriteInt32BigEndian(span, written);
        Advance(4 + written);
    }

    /// <summary>Appends fields already in binary COPY form (a <see cref="Shared.Postgres.PgTextRow"/> without placeholders).</summary>
    public void WriteFields(ReadOnlySpan<byte> fields) => Append(fields);

    /// <summary>Writes the trailer and hands everything to the stream; the owner then completes the COPY.</summary>
    public void Finish()
    {
        BinaryPrimitives.WriteInt16BigEndian(Reserve(2), -1);
        Advance(2);
        Flush();
    }
}
