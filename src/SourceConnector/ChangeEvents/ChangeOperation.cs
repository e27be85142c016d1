namespace KafkaCdc.SourceConnector.ChangeEvents;

/// <summary>The kind of change, with the envelope's <c>op</c> code in the comment.</summary>
internal enum ChangeOperation
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
