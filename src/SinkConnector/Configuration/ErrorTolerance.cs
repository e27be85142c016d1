namespace KafkaCdc.SinkConnector.Configuration;

/// <summary><c>errors.tolerance</c>: what happens to a record that can never be written.</summary>
public enum ErrorTolerance
{
    /// <summary>
    /// The record's table stops: the task pauses its topic's partitions at the record, with an error naming the table,
    /// the reason and the record's topic, partition and offset; the other tables keep flowing, and a restart after the fix
    /// resumes at the record.
    /// </summary>
    None,

    /// <summary>The record goes to the dead-letter topic (when configured) and the task goes on.</summary>
    All,
}
