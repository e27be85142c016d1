using System.Buffers.Binary;

namespace KafkaCdc.Shared.ChangeEvents;

/// <summary>
/// Where a streamed change record stands in its source's change stream: the PostgreSQL system it came from, the commit
/// LSN of its transaction and its ordinal within that transaction. A record with a value carries it in the envelope's
/// <c>source</c> block (<c>system_id</c>, <c>commit_lsn</c>, <c>event_serial_no</c>); a tombstone, which has no value,
/// in the Kafka header <see cref="HeaderName"/>. Within one system, records are written in increasing position, and the
/// source writes a record again after a crash with the same position it had; so a reader that keeps the highest position
/// it applied per partition recognises every replayed record (schemas/README.md, "Source positions").
/// </summary>
/// <remarks>
/// The header value is 24 bytes, three big-endian unsigned 64-bit integers (system identifier, commit LSN, ordinal),
/// so comparing the bytes compares positions. The ordinal is 4 × the change's index among the transaction's change
/// messages (inserts, updates, deletes, truncates, whether captured or not: deterministic when the stream is read again)
/// plus 0 for the change's record (the delete half of an update that changed the key), 1 for the tombstone after a
/// delete and 2 for the create half of an update that changed the key (3 is unused). A truncate's records (one per
/// partition) share a position.
/// Positions of different systems (another cluster, restored from a dump) are not comparable.
/// </remarks>
/// <param name="SystemId">PostgreSQL's system identifier (<c>IDENTIFY_SYSTEM</c>, <c>pg_control_system()</c>).</param>
/// <param name="CommitLsn">The commit LSN of the record's transaction.</param>
/// <param name="Ordinal">The record's ordinal within the transaction.</param>
public readonly record struct SourcePosition(ulong SystemId, ulong CommitLsn, ulong Ordinal)
{
    /// <summary>
    /// The Kafka header that carries the position of a tombstone (and, from sources older than the envelope fields, of
    /// every streamed record).
    /// </summary>
    public const string HeaderName = "kafkacdc.position";

    /// <summary>The ordinal's last part (see remarks) for the change's own record.</summary>
    public const ulong ChangeRecord = 0;

    /// <summary>The ordinal's last part for the tombstone after a delete.</summary>
    public const ulong Tombstone = 1;

    /// <summary>The ordinal's last part for the create under the new key of an update that changed the key.</summary>
    public const ulong CreateUnderNewKey = 2;

    /// <summary>The header value's length.</summary>
    public const int Size = 24;

    /// <summary>The ordinal of the first record of the change with index <paramref name="changeIndex"/> in its transaction.</summary>
    public static ulong OrdinalOf(long changeIndex) => (ulong)changeIndex * 4;

    /// <summary>The header value.</summary>
    public byte[] ToBytes()
    {
        var bytes = new byte[Size];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, SystemId);
        BinaryPrimitives.WriteUInt64BigEndian(bytes.AsSpan(8), CommitLsn);
        BinaryPrimitives.WriteUInt64BigEndian(bytes.AsSpan(16), Ordinal);
        return bytes;
    }

    /// <summary>Reads a header value; false unless it is exactly <see cref="Size"/> bytes.</summary>
    public static bool TryRead(ReadOnlySpan<byte> bytes, out SourcePosition position)
    {
        if (bytes.Length != Size)
        {
            position = default;
            return false;
        }
        position = new SourcePosition(BinaryPrimitives.ReadUInt64BigEndian(bytes), BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]),
            BinaryPrimitives.ReadUInt64BigEndian(bytes[16..]));
        return true;
    }

    /// <summary>Whether this position is at or before <paramref name="other"/> of the same system (false for another system).</summary>
    public bool IsAtOrBefore(SourcePosition other) =>
        SystemId == other.SystemId && (CommitLsn < other.CommitLsn || (CommitLsn == other.CommitLsn && Ordinal <= other.Ordinal));

    /// <summary><c>system/commit LSN (X/X)/ordinal</c>, for messages.</summary>
    public override string ToString() => $"{SystemId}/{CommitLsn >> 32:X}/{(uint)CommitLsn:X}/{Ordinal}";
}
