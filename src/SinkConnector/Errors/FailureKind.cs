namespace KafkaCdc.SinkConnector.Errors;

/// <summary>What a failure means for the batch it happened in; decided by <see cref="SinkErrorClassifier"/> alone.</summary>
public enum FailureKind
{
    /// <summary>May succeed later (connection lost, serialization failure, deadlock, registry or broker unreachable): roll back and retry the batch with backoff, committing nothing.</summary>
    Transient,

    /// <summary>One record can never be written (undecodable, type mismatch, constraint violation, schema refused): isolate it, then stop or dead-letter it per <c>errors.tolerance</c>.</summary>
    Record,

    /// <summary>Nothing this task writes can succeed (authentication, missing privilege or database, fatal Kafka error): stop the task.</summary>
    Task,
}
