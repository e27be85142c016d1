using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;

namespace KafkaCdc.Shared.AvroFormat;

/// <summary>
/// Reads Avro's binary encoding of primitive values from a span, checking everything: reads past the end, varints
/// longer than 10 bytes or beyond 64 bits, ints out of range, booleans other than 0 and 1, negative lengths, lengths
/// beyond the remaining bytes (checked before allocating), invalid UTF-8. Every problem is an
/// <see cref="AvroDecodingException"/> with the byte offset.
/// </summary>
/// <remarks>A ref struct over the caller's bytes: spans it returns point into them and are valid as long as they are.</remarks>
public ref struct AvroBinaryReader
{
    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly ReadOnlySpan<byte> _data;
    private int _position;

    /// <summary>Creates a reader at the start of <paramref name="data"/>.</summary>
    public AvroBinaryReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        _position = 0;
    }

    /// <summary>Offset of the next byte to read.</summary>
    public readonly int Position => _position;

    /// <summary>Bytes left to read.</summary>
    public readonly int Remaining => _data.Length - _position;

    /// <summary>Reads a boolean, which must be the byte 0 or 1.</summary>
    public bool ReadBoolean()
    {
        if (_position >= _data.Length)
        {
            throw Truncated("a boolean", 1);
        }

        var b = _data[_position];
        if (b > 1)
        {
            throw new AvroDecodingException($"invalid boolean byte 0x{b:x2} (must be 0 or 1)", _position);
        }

        _position++;
        return b == 1;
    }

    /// <summary>Reads an <c>int</c> (zig-zag varint), which must fit 32 bits.</summary>
    public int ReadInt()
    {
        var start = _position;
        var value = ReadLong();
        return value is >= int.MinValue and <= int.MaxValue
            ? (int)value
            : throw new AvroDecodingException($"int value {value} is out of the 32-bit range", start);
    }

    /// <summary>Reads a <c>long</c> (zig-zag varint of at most 10 bytes).</summary>
    public long ReadLong()
    {
        var data = _data;
        var position = _position;
        if (position < data.Length && data[position] < 0x80)
        {
            _position = position + 1;
            var single = (ulong)data[position];
            return (long)(single >> 1) ^ -(long)(single & 1);
        }

        ulong result = 0;
        for (var i = 0; i < 10; i++)
        {
            if (position >= data.Length)
            {
                throw new AvroDecodingException("truncated varint: the data ends inside it", position);
            }

            var b = data[position++];
            if (i == 9 && b > 1)
            {
                // The tenth byte holds only bit 63: anything more is an over-long or overflowing varint.
                throw new AvroDecodingException(b >= 0x80 ? "varint longer than 10 bytes" : "varint exceeds 64 bits", _position);
            }

            result |= (ulong)(b & 0x7f) << (7 * i);
            if (b < 0x80)
            {
                _position = position;
                return (long)(result >> 1) ^ -(long)(result & 1);
            }
        }

        throw new UnreachableException();
    }

    /// <summary>Reads a <c>float</c> (4 bytes little-endian).</summary>
    public float ReadFloat() => BinaryPrimitives.ReadSingleLittleEndian(Take(4, "a float"));

    /// <summary>Reads a <c>double</c> (8 bytes little-endian).</summary>
    public double ReadDouble() => BinaryPrimitives.ReadDoubleLittleEndian(Take(8, "a double"));

    /// <summary>Reads <c>bytes</c>: a non-negative length, then that many bytes, returned as a slice of the input.</summary>
    public ReadOnlySpan<byte> ReadBytesSpan()
    {
        var start = _position;
        var length = ReadLong();
        if (length < 0)
        {
            throw new AvroDecodingException($"negative length {length} for bytes or string", start);
        }

        if (length > Remaining)
        {
            throw new AvroDecodingException($"length {length} exceeds the {Remaining} bytes remaining", start);
        }

        var slice = _data.Slice(_position, (int)length);
        _position += (int)length;
        return slice;
    }

    /// <summary>Reads <c>bytes</c> into a new array.</summary>
    public byte[] ReadBytes() => ReadBytesSpan().ToArray();

    /// <summary>Reads a <c>string</c>: a non-negative length, then that many bytes of valid UTF-8.</summary>
    public string ReadString()
    {
        var bytes = ReadBytesSpan();
        try
        {
            return s_strictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new AvroDecodingException("string is not valid UTF-8", _position - bytes.Length + Math.Max(0, e.Index), e);
        }
    }

    /// <summary>Reads a <c>fixed</c> of <paramref name="size"/> bytes, as a slice of the input.</summary>
    public ReadOnlySpan<byte> ReadFixed(int size) => Take(size, $"a fixed of {size} bytes");

    /// <summary>
    /// Reads an array or map block header and returns its item count, 0 at the end. A negative count means the
    /// absolute count followed by the block's size in bytes, which is read and checked.
    /// </summary>
    public long ReadBlockCount()
    {
        var start = _position;
        var count = ReadLong();
        if (count >= 0)
        {
            return count;
        }

        if (count == long.MinValue)
        {
            throw new AvroDecodingException("block count out of range", start);
        }

        var sizeStart = _position;
        var size = ReadLong();
        if (size < 0 || size > Remaining)
        {
            throw new AvroDecodingException($"block size {size} is negative or exceeds the {Remaining} bytes remaining", sizeStart);
        }

        return -count;
    }

    /// <summary>The bytes read since <paramref name="start"/> (an earlier <see cref="Position"/>).</summary>
    public readonly ReadOnlySpan<byte> ReadSince(int start) => _data[start.._position];

    /// <summary>Checks that every byte was read.</summary>
    /// <exception cref="AvroDecodingException">Bytes remain after the datum.</exception>
    public readonly void ExpectEnd()
    {
        if (_position != _data.Length)
        {
            throw new AvroDecodingException($"{Remaining} trailing bytes after the datum", _position);
        }
    }

    private ReadOnlySpan<byte> Take(int count, string what)
    {
        if (count > _data.Length - _position)
        {
            throw Truncated(what, count);
        }

        var slice = _data.Slice(_position, count);
        _position += count;
        return slice;
    }

    private readonly AvroDecodingException Truncated(string what, int needed) =>
        new($"truncated: {what} needs {needed} bytes, {Remaining} remain", _position);
}
