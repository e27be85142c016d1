namespace KafkaCdc.SinkConnector.Decoding;

/// <summary>
/// What a record asks of the destination table: the sink's decision from the envelope's
/// <see cref="KafkaCdc.Shared.ChangeEvents.ChangeOperation"/> (or from a plain row, a tombstone, a heartbeat), with
/// <see cref="Skip"/> and <see cref="Failed"/> that no change event carries.
/// </summary>
public enum RecordAction
{
    /// <summary><c>c</c>, <c>u</c>, <c>r</c>, or a plain row from another producer: the row's new image.</summary>
    Upsert,

    /// <summary><c>d</c> or a tombstone: remove the row (by key, or the one row equal to the before image).</summary>
    Delete,

    /// <summary><c>t</c>: empty the table (once per distinct <c>source.lsn</c>).</summary>
    Truncate,

    /// <summary>Nothing to write (a heartbeat, a tombstone without key); only the offset moves on.</summary>
    Skip,

    /// <summary>The record could not be decoded; <see cref="ChangeRecord.Failure"/> says why.</summary>
    Failed,
}
