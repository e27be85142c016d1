using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace KafkaCdc.Shared.Avro;

/// <summary>
/// Writes Avro's binary encoding of primitive values to an <see cref="IBufferWriter{T}"/>, per the specification's
/// "Binary Encoding" section: zig-zag varints for <c>int</c>/<c>long</c>, little-endian IEEE 754 floats,
/// length-prefixed bytes and UTF-8 strings, raw fixed bytes, counted blocks for arrays and maps.
/// </summary>
/// <remarks>
/// Bytes are written into spans obtained from the output and committed to it (<see cref="IBufferWriter{T}.Advance"/>)
/// when a span fills up and on <see cref="Flush"/>; call <see cref="Flush"/> when done, or the tail is lost.
/// A ref struct: it lives on the stack of one datum write.
/// </remarks>
public ref struct AvroBinaryWriter
{
    private const int MinimumChunk = 512;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly IBufferWriter<byte> _output;
    private Span<byte> _span;
    private int _buffered;
    private long _flushed;

    /// <summary>Creates a writer appending to <paramref name="output"/>.</summary>
    public AvroBinaryWriter(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
        _span = default;
        _buffered = 0;
        _flushed = 0;
        Depth = 0;
    }

    /// <summary>Bytes written so far, flushed or not.</summary>
    public readonly long BytesWritten => _flushed + _buffered;

    /// <summary>Nesting depth of the datum being written, guarded by the record encoder against cyclic values.</summary>
    internal int Depth { get; set; }

    /// <summary>Writes a boolean: one byte, 0 or 1.</summary>
    public void WriteBoolean(bool value)
    {
        Ensure(1);
        _span[_buffered++] = value ? (byte)1 : (byte)0;
    }

    /// <summary>Writes an <c>int</c> as a zig-zag varint of 1 to 5 bytes.</summary>
    public void WriteInt(int value) => WriteLong(value);

    /// <summary>Writes a <c>long</c> as a zig-zag varint of 1 to 10 bytes.</summary>
    public void WriteLong(long value)
    {
        Ensure(10);
        var zigzag = (ulong)((value << 1) ^ (value >> 63));
        var span = _span;
        var position = _buffered;
        while (zigzag >= 0x80)
        {
            span[position++] = (byte)(zigzag | 0x80);
            zigzag >>= 7;
        }

        span[position++] = (byte)zigzag;
        _buffered = position;
    }

    /// <summary>Writes a <c>float</c>: 4 bytes, little-endian.</summary>
    public void WriteFloat(float value)
    {
        Ensure(4);
        BinaryPrimitives.WriteSingleLittleEndian(_span[_buffered..], value);
        _buffered += 4;
    }

    /// <summary>Writes a <c>double</c>: 8 bytes, little-endian.</summary>
    public void WriteDouble(double value)
    {
        Ensure(8);
        BinaryPrimitives.WriteDoubleLittleEndian(_span[_buffered..], value);
        _buffered += 8;
    }

    /// <summary>Writes <c>bytes</c>: the length as a <c>long</c>, then the bytes.</summary>
    public void WriteBytes(scoped ReadOnlySpan<byte> value)
    {
        WriteLong(value.Length);
        WriteFixed(value);
    }

    /// <summary>Writes a <c>fixed</c>: the bytes alone (the schema knows the size).</summary>
    public void WriteFixed(scoped ReadOnlySpan<byte> value)
    {
        Ensure(value.Length);
        value.CopyTo(_span[_buffered..]);
        _buffered += value.Length;
    }

    /// <summary>Writes a <c>string</c>: the UTF-8 length as a <c>long</c>, then the UTF-8 bytes.</summary>
    /// <exception cref="AvroEncodingException">The text holds an unpaired surrogate, which UTF-8 cannot carry.</exception>
    public void WriteString(scoped ReadOnlySpan<char> value)
    {
        int length;
        try
        {
            length = StrictUtf8.GetByteCount(value);
        }
        catch (EncoderFallbackException e)
        {
            throw new AvroEncodingException($"string holds an unpaired surrogate at index {e.Index}, which is not valid Unicode", e);
        }

        WriteLong(length);
        Ensure(length);
        _buffered += StrictUtf8.GetBytes(value, _span[_buffered..]);
    }

    /// <summary>Writes the zero-based index of a union branch, before the branch's value.</summary>
    public void WriteUnionIndex(int index) => WriteLong(index);

    /// <summary>Writes the zero-based index of an enum symbol.</summary>
    public void WriteEnumIndex(int index) => WriteLong(index);

    /// <summary>Writes the item count that starts an array or map block; a count of 0 ends the array or map.</summary>
    public void WriteBlockCount(long count) => WriteLong(count);

    /// <summary>Returns a span of at least <paramref name="size"/> bytes to write into, then commit with <see cref="Advance"/>.</summary>
    public Span<byte> GetSpan(int size)
    {
        Ensure(size);
        return _span[_buffered..];
    }

    /// <summary>Records that <paramref name="count"/> bytes were written into the span of <see cref="GetSpan"/>.</summary>
    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _span.Length - _buffered);
        _buffered += count;
    }

    /// <summary>Commits the bytes written so far to the output.</summary>
    public void Flush()
    {
        if (_buffered > 0)
        {
            _output.Advance(_buffered);
            _flushed += _buffered;
            _buffered = 0;
        }

        _span = default;
    }

    private void Ensure(int size)
    {
        if (_span.Length - _buffered < size)
        {
            Grow(size);
        }
    }

    private void Grow(int size)
    {
        Flush();
        _span = _output.GetSpan(Math.Max(size, MinimumChunk));
        if (_span.Length < size)
        {
            throw new InvalidOperationException($"the output gave a span of {_span.Length} bytes when {size} were requested");
        }
    }
}
