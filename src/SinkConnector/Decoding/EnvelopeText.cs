using KafkaCdc.Shared.ChangeEvents;
using KafkaCdc.Shared.Postgres;

namespace KafkaCdc.SinkConnector.Decoding;

/// <summary>
/// What <see cref="EnvelopeTextDecoder"/> reads from a change event: the op, the row images as text, and the <c>source</c>
/// parts the sink uses (<see cref="ChangeRecord.CommitTime"/> as there; <see cref="Position"/> from <c>commit_lsn</c>,
/// <c>event_serial_no</c> and <c>system_id</c>).
/// </summary>
internal readonly record struct EnvelopeText(
    char Op, PgTextRow? Before, PgTextRow After, long? Lsn, string? SourceSchema, string? SourceTable, long? CommitTime = null, SourcePosition? Position = null);
