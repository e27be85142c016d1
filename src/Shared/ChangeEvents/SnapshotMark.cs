using System.Buffers.Binary;

namespace KafkaCdc.Shared.ChangeEvents;

/// <summary>
/// The Kafka header <see cref="HeaderName"/> of the records of the source's initial snapshot: which snapshot, which run
/// (attempt) of it, and whether the record is a row the attempt read or a streamed change the attempt's rows hold. A
/// consumer that keeps, per table, the attempt whose rows it holds writes each row once although an interrupted
/// snapshot is read again (schemas/README.md, "Source positions").
/// </summary>
/// <remarks>
/// The header value is 21 bytes, big-endian: system identifier (8), snapshot LSN (8), attempt (4, unsigned), kind (1).
/// A record carries at most one.
/// </remarks>
/// <param name="System">The source's PostgreSQL system identifier (as in <see cref="SourcePosition"/>).</param>
/// <param name="SnapshotLsn">The snapshot's id: the LSN where streaming starts after it (the <c>source.lsn</c> of its rows).</param>
/// <param name="Attempt">1 for the snapshot's first run, n for its n-th (resumed) run.</param>
/// <param name="Kind">A row read by the attempt, or a streamed change its rows hold.</param>
public readonly record struct SnapshotMark(ulong System, ulong SnapshotLsn, uint Attempt, SnapshotMarkKind Kind)
{
    /// <summary>The Kafka header that carries the mark.</summary>
    public const string HeaderName = "kafkacdc.snapshot";

    /// <summary>The header value's length.</summary>
    public const int Size = 21;

    /// <summary>The header value.</summary>
    public byte[] Write()
    {
        var bytes = new byte[Size];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, System);
        BinaryPrimitives.WriteUInt64BigEndian(bytes.AsSpan(8), SnapshotLsn);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(16), Attempt);
        bytes[20] = (byte)Kind;
        return bytes;
    }

    /// <summary>Reads a header value; false unless it is exactly <see cref="Size"/> bytes with a known kind.</summary>
    public static bool TryRead(ReadOnlySpan<byte> bytes, out SnapshotMark mark) => TryRead(bytes, out mark, out _);

    /// <summary>Reads a header value; false, and why (naming the length or the kind), unless it is exactly <see cref="Size"/> bytes with a known kind.</summary>
    public static bool TryRead(ReadOnlySpan<byte> bytes, out SnapshotMark mark, out string? error)
    {
        mark = default;
        if (bytes.Length != Size)
        {
            error = $"header {HeaderName} is {bytes.Length} bytes, not {Size} (system identifier, snapshot LSN, attempt, kind)";
            return false;
        }
        if (bytes[20] > (byte)SnapshotMarkKind.HeldChange)
        {
            error = $"header {HeaderName} has kind {bytes[20]}, not 0 (a row the snapshot attempt read) or 1 (a streamed change the attempt's rows hold)";
            return false;
        }
        mark = new SnapshotMark(BinaryPrimitives.ReadUInt64BigEndian(bytes), BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]),
            BinaryPrimitives.ReadUInt32BigEndian(bytes[16..]), (SnapshotMarkKind)bytes[20]);
        error = null;
        return true;
    }

    /// <summary><c>system/snapshot LSN (X/X) attempt n kind</c>, for messages.</summary>
    public override string ToString() => $"{System}/{SnapshotLsn >> 32:X}/{(uint)SnapshotLsn:X} attempt {Attempt} {Kind}";
}
