namespace KafkaCdc.SinkConnector.Configuration;

/// <summary><c>delete.mode</c>: what a delete (<c>d</c> event, tombstone) and a truncate do to destination rows.</summary>
public enum DeleteMode
{
    /// <summary>Delete the row (by key, or one row equal to the before image); a truncate empties the table.</summary>
    Hard,

    /// <summary>
    /// Keep the row and mark it: <c>delete.soft.column</c> (<c>__deleted</c>) true and <c>delete.soft.timestamp.column</c>
    /// (<c>__deleted_at</c>) the source's commit time; a later insert of the key un-marks it; a truncate marks every row
    /// not yet marked; tombstones are skipped (the <c>d</c> event did the work).
    /// </summary>
    Soft,

    /// <summary>Skip deletes and tombstones (counted): <c>delete.enabled=false</c>. Truncates follow <c>truncate.enabled</c>.</summary>
    None,
}
