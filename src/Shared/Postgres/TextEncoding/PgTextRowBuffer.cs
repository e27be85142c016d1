using System.Buffers.Binary;
using System.Text;

namespace KafkaCdc.Shared.Postgres;

/// <summary>The growing buffer a <see cref="PgTextRowDecoder"/> writes one row's fields into before copying them out exactly sized.</summary>
internal sealed class PgTextRowBuffer
{
    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private byte[] _buffer = new byte[1024];
    private int _length;
    private int _fields;
    private bool _hasUnavailable;

    public void Clear()
    {
        if (_buffer.Length > 1 << 20)
        {
            // A huge value grew the buffer: let it go rather than hold it for the decoder's lifetime.
            _buffer = new byte[1024];
        }

        _length = 0;
        _fields = 0;
        _hasUnavailable = false;
    }

    /// <summary>Room for a field of up to <paramref name="maxBytes"/> bytes, after its length word; finish with <see cref="Commit"/>.</summary>
    public Span<byte> Reserve(int maxBytes)
    {
        Ensure(4 + maxBytes);
        return _buffer.AsSpan(_length + 4, maxBytes);
    }

    /// <summary>Ends the field started by <see cref="Reserve"/>, of <paramref name="bytes"/> bytes.</summary>
    public void Commit(int bytes)
    {
        BinaryPrimitives.WriteInt32BigEndian(_buffer.AsSpan(_length), bytes);
        _length += 4 + bytes;
        _fields++;
    }

    public void WriteUtf8(ReadOnlySpan<byte> text)
    {
        text.CopyTo(Reserve(text.Length));
        Commit(text.Length);
    }

    /// <summary>Writes text made by a <see cref="PgColumnEncoder"/> (strictly encoded, as Npgsql would send it).</summary>
    public void WriteText(string text)
    {
        var written = s_strictUtf8.GetBytes(text, Reserve(s_strictUtf8.GetMaxByteCount(text.Length)));
        Commit(written);
    }

    public void WriteNull() => WriteMarker(PgTextRow.NullLength);

    public void WriteUnavailable()
    {
        WriteMarker(PgTextRow.UnavailableLength);
        _hasUnavailable = true;
    }

    public PgTextRow ToRow() => new(_buffer.AsSpan(0, _length).ToArray(), _fields, _hasUnavailable);

    private void WriteMarker(int length)
    {
        Ensure(4);
        BinaryPrimitives.WriteInt32BigEndian(_buffer.AsSpan(_length), length);
        _length += 4;
        _fields++;
    }

    private void Ensure(int bytes)
    {
        if (_length + bytes <= _buffer.Length)
        {
            return;
        }

        Array.Resize(ref _buffer, (int)Math.Min(Array.MaxLength, Math.Max(2L * _buffer.Length, (long)_length + bytes)));
    }
}
