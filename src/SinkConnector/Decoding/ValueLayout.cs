using Avro;

namespace KafkaCdc.SinkConnector.Decoding;

/// <summary>
/// Where the parts of a value schema are, worked out once per schema id: a Debezium-style envelope (<c>before</c>,
/// <c>after</c>, <c>source</c>, <c>op</c>) with its row schema and the <c>source</c> fields the sink uses, or a plain
/// row from another producer, or a KafkaCdc heartbeat (skipped).
/// </summary>
internal sealed class ValueLayout
{
    const string HeartbeatName = "kafkacdc.heartbeat.Heartbeat";

    ValueLayout(RecordSchema schema) => Schema = schema;

    /// <summary>The value schema.</summary>
    public RecordSchema Schema { get; }

    /// <summary>Whether the value is an envelope; otherwise it is the row itself.</summary>
    public bool IsEnvelope { get; private init; }

    /// <summary>Whether the value is a KafkaCdc heartbeat, which carries no row.</summary>
    public bool IsHeartbeat { get; private init; }

    /// <summary>The schema of the row images.</summary>
    public RecordSchema? RowSchema { get; private init; }

    /// <summary>Field positions in the envelope (-1 when absent).</summary>
    public int Before { get; private init; } = -1;

    /// <inheritdoc cref="Before"/>
    public int After { get; private init; } = -1;

    /// <inheritdoc cref="Before"/>
    public int Op { get; private init; } = -1;

    /// <inheritdoc cref="Before"/>
    public int Source { get; private init; } = -1;

    /// <summary>Field positions in the <c>source</c> record (-1 when absent).</summary>
    public int SourceLsn { get; private init; } = -1;

    /// <inheritdoc cref="SourceLsn"/>
    public int SourceSchema { get; private init; } = -1;

    /// <inheritdoc cref="SourceLsn"/>
    public int SourceTable { get; private init; } = -1;

    /// <summary><c>source.ts_ms</c> and <c>source.ts_us</c> (the commit time), or -1.</summary>
    public int SourceTsMs { get; private init; } = -1;

    /// <inheritdoc cref="SourceTsMs"/>
    public int SourceTsUs { get; private init; } = -1;

    /// <summary>
    /// <c>source.commit_lsn</c>, <c>source.event_serial_no</c> and <c>source.system_id</c> (a streamed change's
    /// <see cref="Shared.ChangeEvents.SourcePosition"/>), or -1.
    /// </summary>
    public int SourceCommitLsn { get; private init; } = -1;

    /// <inheritdoc cref="SourceCommitLsn"/>
    public int SourceEventSerialNo { get; private init; } = -1;

    /// <inheritdoc cref="SourceCommitLsn"/>
    public int SourceSystemId { get; private init; } = -1;

    /// <summary>The layout of values of <paramref name="schema"/>.</summary>
    public static ValueLayout For(RecordSchema schema)
    {
        if (schema.Fullname == HeartbeatName) return new ValueLayout(schema) { IsHeartbeat = true };
        if (!schema.TryGetField("op", out var op) || !IsString(op.Schema) || !schema.TryGetField("after", out var after)
            || RecordOf(after.Schema) is not { } row)
        {
            return new ValueLayout(schema) { RowSchema = schema };
        }

        var source = schema.TryGetField("source", out var sourceField) ? sourceField : null;
        var sourceRecord = source is null ? null : RecordOf(source.Schema);
        return new ValueLayout(schema)
        {
            IsEnvelope = true,
            RowSchema = row,
            Op = op.Pos,
            After = after.Pos,
            Before = schema.TryGetField("before", out var before) && RecordOf(before.Schema) is not null ? before.Pos : -1,
            Source = sourceRecord is null ? -1 : source!.Pos,
            SourceLsn = Position(sourceRecord, "lsn"),
            SourceSchema = Position(sourceRecord, "schema"),
            SourceTable = Position(sourceRecord, "table"),
            SourceTsMs = Position(sourceRecord, "ts_ms"),
            SourceTsUs = Position(sourceRecord, "ts_us"),
            SourceCommitLsn = Position(sourceRecord, "commit_lsn"),
            SourceEventSerialNo = Position(sourceRecord, "event_serial_no"),
            SourceSystemId = Position(sourceRecord, "system_id"),
        };
    }

    static int Position(RecordSchema? record, string name) =>
        record is not null && record.TryGetField(name, out var field) ? field.Pos : -1;

    static bool IsString(Avro.Schema schema) => schema.Tag == Avro.Schema.Type.String;

    static RecordSchema? RecordOf(Avro.Schema schema) => schema switch
    {
        RecordSchema record => record,
        UnionSchema union => union.Schemas.OfType<RecordSchema>().FirstOrDefault(),
        _ => null,
    };
}
