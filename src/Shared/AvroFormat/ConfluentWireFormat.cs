using System.Buffers;
using System.Buffers.Binary;

namespace KafkaCdc.Shared.AvroFormat;

/// <summary>Frames Avro datums in the Confluent Schema Registry wire format used for Kafka message keys and values.</summary>
/// <remarks>
/// <para>The wire format (<see href="https://docs.confluent.io/platform/current/schema-registry/fundamentals/serdes-develop/index.html#wire-format">Confluent docs</see>):</para>
/// <list type="table">
/// <listheader><term>Bytes</term><description>Content</description></listheader>
/// <item><term>0</term><description>Magic byte, always <c>0</c>.</description></item>
/// <item><term>1–4</term><description>Schema id as assigned by the registry, 32-bit big-endian.</description></item>
/// <item><term>5–</term><description>The Avro binary encoding of one datum with that schema (no container-file header).</description></item>
/// </list>
/// <para>Readers look the id up in the registry to get the writer schema, then decode the body with it.</para>
/// </remarks>
public static class ConfluentWireFormat
{
    /// <summary>The value of the first byte of every framed message.</summary>
    public const byte MagicByte = 0;

    /// <summary>Bytes before the Avro body: the magic byte and the schema id.</summary>
    public const int HeaderSize = 5;

    /// <summary>Writes the 5-byte header into <paramref name="destination"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The id is negative (registry ids are not) or the destination is shorter than 5 bytes.</exception>
    public static void WriteHeader(int schemaId, Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(schemaId);
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, HeaderSize, nameof(destination));
        destination[0] = MagicByte;
        BinaryPrimitives.WriteInt32BigEndian(destination[1..], schemaId);
    }

    /// <summary>Appends the 5-byte header to <paramref name="output"/>; the body follows.</summary>
    public static void WriteHeader(int schemaId, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        WriteHeader(schemaId, output.GetSpan(HeaderSize));
        output.Advance(HeaderSize);
    }

    /// <summary>Appends a framed message, header then <paramref name="body"/>, to <paramref name="output"/>.</summary>
    public static void Write(int schemaId, ReadOnlySpan<byte> body, IBufferWriter<byte> output)
    {
        WriteHeader(schemaId, output);
        body.CopyTo(output.GetSpan(body.Length));
        output.Advance(body.Length);
    }

    /// <summary>A new array holding the framed message of <paramref name="body"/>.</summary>
    public static byte[] Frame(int schemaId, ReadOnlySpan<byte> body)
    {
        var message = new byte[HeaderSize + body.Length];
        WriteHeader(schemaId, message);
        body.CopyTo(message.AsSpan(HeaderSize));
        return message;
    }

    /// <summary>Reads the header of a framed message, returning the Avro body that follows it.</summary>
    /// <exception cref="AvroDecodingException">The message is shorter than 5 bytes or does not start with the magic byte 0.</exception>
    public static ReadOnlySpan<byte> ReadHeader(ReadOnlySpan<byte> message, out int schemaId)
    {
        if (message.Length < HeaderSize)
        {
            throw new AvroDecodingException(
                $"message of {message.Length} bytes is too short for the Confluent wire format, which starts with a {HeaderSize}-byte header (magic byte 0, 4-byte schema id)",
                0);
        }

        if (message[0] != MagicByte)
        {
            throw new AvroDecodingException(
                $"first byte is 0x{message[0]:x2}, not the Confluent magic byte 0x00: the message was not written by a schema-registry Avro serializer",
                0);
        }

        schemaId = BinaryPrimitives.ReadInt32BigEndian(message[1..]);
        return message[HeaderSize..];
    }

    /// <summary>Reads the header of a framed message if it has one.</summary>
    /// <returns><see langword="false"/> when the message is shorter than 5 bytes or the first byte is not 0.</returns>
    public static bool TryReadHeader(ReadOnlySpan<byte> message, out int schemaId, out ReadOnlySpan<byte> body)
    {
        if (message.Length < HeaderSize || message[0] != MagicByte)
        {
            schemaId = 0;
            body = default;
            return false;
        }

        schemaId = BinaryPrimitives.ReadInt32BigEndian(message[1..]);
        body = message[HeaderSize..];
        return true;
    }
}
