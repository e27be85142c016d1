using System.Buffers;
using System.Text;

namespace KafkaCdc.SinkConnector.Applying;

/// <summary>
/// The bytes of a COPY FROM STDIN, gathered in a pooled 64 KiB buffer and handed to Npgsql's raw COPY stream a buffer at
/// a time (synchronously: the write only blocks while the socket takes a buffer, and an await per row would cost more
/// than the row). The base of <see cref="BinaryCopyWriter"/> and <see cref="TextCopyWriter"/>; used by one thread.
/// </summary>
internal abstract class CopyStreamBuffer : IDisposable
{
    const int Size = 1 << 16;

    /// <summary>Strict, as Npgsql encodes text parameters: a string that is not valid UTF-16 is an error, not a replacement character.</summary>
    protected static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    readonly Stream _stream;
    byte[] _buffer = ArrayPool<byte>.Shared.Rent(Size);
    int _length;

    protected CopyStreamBuffer(Stream stream) => _stream = stream;

    /// <summary>Room for <paramref name="bytes"/> more bytes; write into it, then <see cref="Advance"/>.</summary>
    protected Span<byte> Reserve(int bytes)
    {
        if (_length + bytes > _buffer.Length)
        {
            Flush();
            if (bytes > _buffer.Length)
            {
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = ArrayPool<byte>.Shared.Rent(bytes);
            }
        }
        return _buffer.AsSpan(_length);
    }

    protected void Advance(int bytes) => _length += bytes;

    protected void Append(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(Reserve(bytes.Length));
        _length += bytes.Length;
    }

    /// <summary>Hands what is gathered to the COPY stream.</summary>
    protected void Flush()
    {
        if (_length == 0) return;
        _stream.Write(_buffer, 0, _length);
        _length = 0;
    }

    /// <summary>Returns the buffer to the pool (the COPY itself is completed or cancelled by its owner).</summary>
    public void Dispose()
    {
        if (_buffer.Length == 0) return;
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }
}
