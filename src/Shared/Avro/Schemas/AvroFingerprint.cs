using System.Text;

namespace KafkaCdc.Shared.Avro;

/// <summary>
/// The CRC-64-AVRO fingerprint of the specification's "Schema Fingerprints" section: a 64-bit Rabin fingerprint
/// seeded with <see cref="Empty"/>, the fingerprint of no bytes. Applied to a schema's Parsing Canonical Form it
/// gives <see cref="AvroSchema.Fingerprint64"/>.
/// </summary>
public static class AvroFingerprint
{
    /// <summary>The fingerprint of zero bytes, <c>0xc15d213aa4d7a795</c>, which also seeds the computation.</summary>
    public const ulong Empty = 0xc15d213aa4d7a795UL;

    private static readonly ulong[] Table = BuildTable();

    /// <summary>The CRC-64-AVRO of <paramref name="data"/>, as a signed value like Java's (same bits).</summary>
    public static long Crc64(ReadOnlySpan<byte> data)
    {
        var fingerprint = Empty;
        foreach (var b in data)
        {
            fingerprint = (fingerprint >> 8) ^ Table[(int)(fingerprint ^ b) & 0xff];
        }

        return unchecked((long)fingerprint);
    }

    /// <summary>The CRC-64-AVRO of the UTF-8 encoding of <paramref name="text"/>.</summary>
    public static long Crc64(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Crc64(Encoding.UTF8.GetBytes(text));
    }

    private static ulong[] BuildTable()
    {
        var table = new ulong[256];
        for (var i = 0; i < 256; i++)
        {
            var fingerprint = (ulong)i;
            for (var bit = 0; bit < 8; bit++)
            {
                fingerprint = (fingerprint >> 1) ^ (Empty & (0UL - (fingerprint & 1)));
            }

            table[i] = fingerprint;
        }

        return table;
    }
}
