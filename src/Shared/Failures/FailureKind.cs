namespace KafkaCdc.Shared.Failures;

/// <summary>
/// What a failure means for the work it happened in. Decided per side by one classifier (the source's
/// <c>FailureClassifier</c>, the sink's <c>SinkErrorClassifier</c>), both of which take PostgreSQL's answers from
/// <see cref="Postgres.PgErrorClassification"/>.
/// </summary>
public enum FailureKind
{
    /// <summary>May succeed later (connection lost, server shutting down, serialization failure, deadlock, broker or registry unreachable): retry with backoff from the last confirmed position.</summary>
    Transient,

    /// <summary>
    /// The data of one record is at fault (a value PostgreSQL or the encoder refuses, a constraint violation): retrying
    /// the same record cannot help, but other records can still succeed. The sink isolates the record and stops or
    /// dead-letters it per <c>errors.tolerance</c>; the source cannot skip a change and treats it as <see cref="Permanent"/>.
    /// </summary>
    Record,

    /// <summary>Retrying cannot help and nothing else can succeed either (authentication, missing privilege or database, fatal Kafka error): stop, report the reason, exit non-zero.</summary>
    Permanent,
}
