using Avro;
using Avro.Generic;
using Confluent.Kafka;
using KafkaCdc.Shared.AvroFormat;
using KafkaCdc.Shared.ChangeEvents;
using KafkaCdc.Shared.Postgres;

namespace KafkaCdc.SinkConnector.Decoding;

/// <summary>
/// One Kafka record decoded into a row change: where it came from, the action, the key and the row images, the
/// LSN of the change and the destination table. Immutable once built; owned by the partition batch holding it.
/// </summary>
/// <remarks>
/// A sink holds a batch's worth of these (tens of thousands) at a time, and at 100,000 records a second their size is
/// a measurable part of the sink's garbage-collection work (SinkBench): the rarely set parts are stored compactly (one
/// reference for the received message, one for a skip reason or failure, a boxed snapshot mark, long.MinValue for an
/// absent LSN or commit time), behind the same properties.
/// </remarks>
public sealed class ChangeRecord
{
    // Absent Lsn and CommitTime: neither is ever long.MinValue (an LSN beyond 2^63 bytes of WAL; a time before 290,000 BC).
    const long Absent = long.MinValue;
    readonly long _lsn = Absent;
    readonly long _commitTime = Absent;
    readonly object? _problem;
    readonly object? _snapshotMark;

    /// <summary>The topic.</summary>
    public required string Topic { get; init; }

    /// <summary>The partition.</summary>
    public required int Partition { get; init; }

    /// <summary>The offset.</summary>
    public required long Offset { get; init; }

    /// <summary>What the record asks of the destination table.</summary>
    public required RecordAction Action { get; init; }

    /// <summary>The envelope's op (<c>c</c>, <c>u</c>, <c>d</c>, <c>t</c>, <c>r</c>), <c>c</c> for plain rows, <c>x</c> for a tombstone; for metrics and messages.</summary>
    public char SourceOp { get; init; }

    /// <summary>Whether the value was null (a tombstone).</summary>
    public bool IsTombstone => SourceOp == 'x';

    /// <summary>The decoded key (a <see cref="GenericRecord"/> for KafkaCdc's records), or null.</summary>
    public object? Key { get; init; }

    /// <summary>The registry id of the key's schema, or -1 without a key.</summary>
    public int KeySchemaId { get; init; } = -1;

    /// <summary>
    /// The schema the key was written with, or null without a key. Column definitions come from it, not from the key
    /// record's own schema, which lacks the date and time logical types (<see cref="AvroGenericReader"/>).
    /// </summary>
    public Schema? KeySchema { get; init; }

    /// <summary>The old row image (<c>before</c>), or null.</summary>
    public GenericRecord? Before { get; init; }

    /// <summary>The new row image (<c>after</c>, or the whole value of a plain row), or null.</summary>
    public GenericRecord? After { get; init; }

    /// <summary>
    /// The old row image as PostgreSQL text (decoded straight from the bytes, <see cref="EnvelopeTextDecoder"/>), or null:
    /// a record has either text images or <see cref="Before"/>/<see cref="After"/>, never both.
    /// </summary>
    public PgTextRow? BeforeText { get; init; }

    /// <summary>The new row image as PostgreSQL text, or null (see <see cref="BeforeText"/>).</summary>
    public PgTextRow? AfterText { get; init; }

    /// <summary>The schema of the row images (the envelope's <c>Value</c>), or null for tombstones and truncates without one.</summary>
    public RecordSchema? RowSchema { get; init; }

    /// <summary>The registry id of the value's schema, or -1 for a tombstone.</summary>
    public int ValueSchemaId { get; init; } = -1;

    /// <summary><c>source.lsn</c>: the LSN of the change (of the TRUNCATE for <c>t</c>), or null.</summary>
    public long? Lsn { get => _lsn == Absent ? null : _lsn; init => _lsn = value ?? Absent; }

    /// <summary>
    /// The source's commit time of the change, microseconds since the Unix epoch: <c>source.ts_us</c>, else
    /// <c>source.ts_ms</c> × 1000; null without a source block (tombstones, other producers' plain rows). Soft deletes
    /// write it as <c>__deleted_at</c>, so a replay writes the same time.
    /// </summary>
    public long? CommitTime { get => _commitTime == Absent ? null : _commitTime; init => _commitTime = value ?? Absent; }

    /// <summary>The destination table name (<c>table.name.format</c> applied), or null when it cannot be known (a tombstone whose table was never seen).</summary>
    public string? Table { get; init; }

    /// <summary>Why there is nothing to write (<see cref="RecordAction.Skip"/>), for the skipped-records metric.</summary>
    public string? SkipReason { get => _problem as string; init => _problem = value ?? _problem; }

    /// <summary>Why the record could not be decoded (<see cref="RecordAction.Failed"/>); a record has a failure or a <see cref="SkipReason"/>, not both.</summary>
    public Exception? Failure { get => _problem as Exception; init => _problem = value ?? _problem; }

    /// <summary>The message as received (key, value and headers), for the dead-letter topic; null when there is none.</summary>
    public Message<byte[]?, byte[]?>? RawMessage { get; init; }

    /// <summary>The key as received (<see cref="RawMessage"/>).</summary>
    public byte[]? RawKey => RawMessage?.Key;

    /// <summary>The value as received (<see cref="RawMessage"/>).</summary>
    public byte[]? RawValue => RawMessage?.Value;

    /// <summary>
    /// The source position of a streamed change (<c>source.commit_lsn</c>, <c>event_serial_no</c> and <c>system_id</c>;
    /// for a tombstone the header <c>kafkacdc.position</c>); null for snapshot reads and other producers' records.
    /// </summary>
    public SourcePosition? SourcePosition { get; init; }

    /// <summary>
    /// The snapshot mark (header <c>kafkacdc.snapshot</c>) of a record of the source's initial snapshot or of a streamed
    /// change a resumed snapshot attempt holds; null for other records.
    /// </summary>
    public SnapshotMark? SnapshotMark { get => (SnapshotMark?)_snapshotMark; init => _snapshotMark = value; }

    /// <summary>The headers as received (<see cref="RawMessage"/>).</summary>
    public Headers? Headers => RawMessage?.Headers;

    /// <summary>The record's coordinates.</summary>
    public TopicPartitionOffset Position => new(Topic, Partition, Offset);

    /// <summary><c>topic/partition/offset</c> for messages.</summary>
    public string Describe() => $"{Topic}/{Partition}/{Offset}";

    /// <inheritdoc />
    public override string ToString() => $"{Describe()} {SourceOp} {Action}";
}
