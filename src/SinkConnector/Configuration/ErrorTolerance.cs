namespace KafkaCdc.SinkConnector.Configuration;

/// <summary><c>errors.tolerance</c>: what happens to a record that can never be written.</summary>
public enum ErrorTolerance
{
    /// <summary>The task stops with an error naming the record's topic, partition and offset.</summary>
    None,

    /// <summary>The record goes to the dead-letter topic (when configured) and the task goes on.</summary>
    All,
}
