using KafkaCdc.Shared.Failures;

namespace KafkaCdc.SourceConnector;

/// <summary>
/// A failure the connector itself detected, with its <see cref="FailureKind"/> decided where it was found. The
/// message says what happened (naming the table, LSN or topic) and what to do.
/// </summary>
internal sealed class SourceConnectorException(FailureKind kind, string message, Exception? innerException = null)
    : Exception(message, innerException)
{
    /// <summary>Whether retrying may help.</summary>
    public FailureKind Kind { get; } = kind;
}
