namespace KafkaCdc.Shared.ChangeEvents;

/// <summary>
/// The kind of change a change event records: the envelope's <c>op</c> field, whose one-letter codes are in
/// <see cref="ChangeOperations"/>. The source writes it; the sink reads it and decides what to write.
/// </summary>
public enum ChangeOperation
{
    /// <summary><c>c</c>: a row was inserted.</summary>
    Create,

    /// <summary><c>u</c>: a row was updated.</summary>
    Update,

    /// <summary><c>d</c>: a row was deleted.</summary>
    Delete,

    /// <summary><c>t</c>: the table was truncated.</summary>
    Truncate,

    /// <summary><c>r</c>: a row read by a snapshot.</summary>
    Read,
}
