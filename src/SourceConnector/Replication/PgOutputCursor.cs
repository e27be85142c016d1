using System.Buffers.Binary;
using KafkaCdc.SourceConnector.ChangeEvents;
using NpgsqlTypes;

namespace KafkaCdc.SourceConnector.Replication;

/// <summary>
/// Reads the fields of one pgoutput message (protocol version 1,
/// <see href="https://www.postgresql.org/docs/current/protocol-logicalrep-message-formats.html">Logical Replication
/// Message Formats</see>): big-endian integers, null-terminated strings and TupleData, all in the client encoding
/// (UTF-8, which Npgsql sets).
/// </summary>
/// <remarks>Values are copied out as strings; the buffer may be reused once the message is read.</remarks>
internal ref struct PgOutputCursor(ReadOnlySpan<byte> message)
{
    readonly ReadOnlySpan<byte> _message = message;
    int _position;

    /// <summary>Bytes not read yet.</summary>
    public readonly int Remaining => _message.Length - _position;

    public byte Byte() => _message[_position++];

    public short Int16()
    {
        var value = BinaryPrimitives.ReadInt16BigEndian(_message[_position..]);
        _position += 2;
        return value;
    }

    public int Int32()
    {
        var value = BinaryPrimitives.ReadInt32BigEndian(_message[_position..]);
        _position += 4;
        return value;
    }

    public uint UInt32() => (uint)Int32();

    public long Int64()
    {
        var value = BinaryPrimitives.ReadInt64BigEndian(_message[_position..]);
        _position += 8;
        return value;
    }

    public NpgsqlLogSequenceNumber Lsn() => new((ulong)Int64());

    /// <summary>A null-terminated string.</summary>
    public string String()
    {
        var length = _message[_position..].IndexOf((byte)0);
        if (length < 0) throw new FormatException("pgoutput string without terminator");
        var value = System.Text.Encoding.UTF8.GetString(_message.Slice(_position, length));
        _position += length + 1;
        return value;
    }

    /// <summary>A TupleData: the number of columns, then per column <c>n</c> (null), <c>u</c> (unchanged TOASTed value) or <c>t</c> (text).</summary>
    public RowImage Tuple()
    {
        var count = Int16();
        var values = new string?[count];
        bool[]? unchanged = null;
        for (var i = 0; i < count; i++)
        {
            switch ((char)Byte())
            {
                case 'n':
                    break;
                case 'u':
                    (unchanged ??= new bool[count])[i] = true;
                    break;
                case 't':
                    var length = Int32();
                    values[i] = System.Text.Encoding.UTF8.GetString(_message.Slice(_position, length));
                    _position += length;
                    break;
                case var kind:
                    throw new FormatException($"pgoutput TupleData column {i} has kind '{kind}'; protocol 1 text mode sends only n, u and t");
            }
        }
        return new RowImage(values, unchanged);
    }
}
