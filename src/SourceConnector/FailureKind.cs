namespace KafkaCdc.SourceConnector;

/// <summary>What a failure means for the connector, as <see cref="FailureClassifier"/> decides.</summary>
internal enum FailureKind
{
    /// <summary>May succeed later: reconnect with backoff and resume from the stored offset.</summary>
    Transient,

    /// <summary>Retrying cannot help: stop, report the reason, exit non-zero.</summary>
    Permanent,
}
