using System.Net.Sockets;
using Avro;
using Confluent.Kafka;
using KafkaCdc.Shared.AvroFormat;
using KafkaCdc.Shared.Configuration;
using KafkaCdc.Shared.Failures;
using KafkaCdc.Shared.Kafka;
using KafkaCdc.Shared.Postgres;
using KafkaCdc.Shared.SchemaRegistry;
using KafkaCdc.Shared.Ssh;
using Npgsql;

namespace KafkaCdc.SourceConnector;

/// <summary>
/// The one place that decides whether a failure is transient (reconnect with backoff and resume from the stored
/// offset; duplicates possible, loss not) or permanent (stop and exit non-zero). Tested row by row.
/// </summary>
/// <remarks>
/// PostgreSQL errors go by <see cref="PgErrorClassification"/>, shared with the sink; a <see cref="FailureKind.Record"/>
/// answer (class 22 or 23: the data is at fault) is permanent here, because a change cannot be skipped. Network errors
/// and timeouts without a SQLSTATE are transient. Kafka: fatal errors (<see cref="Error.IsFatal"/>) and errors
/// retrying cannot fix (record too large, authorization, invalid config) are permanent, the rest transient. Registry
/// (Confluent's client, after its own retries), by <see cref="RegistryFailures.IsTransient"/>: no answer (refused,
/// reset, DNS, timeout) and HTTP 408, 429, 5xx are transient; 401/403 (credentials), 409 (incompatible), 422 (invalid
/// schema), 404 (unknown subject or id) and TLS handshake failures are permanent. Values that do not decode or encode,
/// and configuration errors, are permanent. The SSH tunnel's failures carry their kind (<see cref="SshTunnelException.Kind"/>:
/// a refused key or unverified host key permanent, an unreachable server transient). This classifier never answers <see cref="FailureKind.Record"/>.
/// </remarks>
internal static class FailureClassifier
{
    static readonly ErrorCode[] s_permanentKafkaCodes =
    [
        ErrorCode.MsgSizeTooLarge, ErrorCode.TopicAuthorizationFailed,
        ErrorCode.ClusterAuthorizationFailed, ErrorCode.TransactionalIdAuthorizationFailed, ErrorCode.SaslAuthenticationFailed,
        ErrorCode.Local_Authentication, ErrorCode.InvalidConfig, ErrorCode.Local_InvalidArg, ErrorCode.TopicException,
        ErrorCode.Local_Fatal, ErrorCode.UnsupportedSaslMechanism, ErrorCode.InvalidRecord,
    ];

    /// <summary>Classifies <paramref name="exception"/> (and, for wrappers, what it wraps).</summary>
    public static FailureKind Classify(Exception exception) => exception switch
    {
        SourceConnectorException e => e.Kind,
        SshTunnelException e => e.Kind,
        NpgsqlException e => ClassifyPostgres(e),
        KafkaException e => ClassifyKafka(e.Error),
        HttpRequestException e => RegistryFailures.IsTransient(e) ? FailureKind.Transient : FailureKind.Permanent,
        PgValueDecodingException or AvroEncodingException or AvroDecodingException or AvroException or ConfigException or KafkaConfigException => FailureKind.Permanent,
        IOException or SocketException or TimeoutException => FailureKind.Transient,
        // HttpClient's own timeout (not the connector stopping, which SourceRunner handles before classifying).
        OperationCanceledException { InnerException: TimeoutException } => FailureKind.Transient,
        AggregateException { InnerExceptions.Count: > 0 } e => e.InnerExceptions.Select(Classify).Max(),
        _ => FailureKind.Permanent,
    };

    /// <summary>Classifies a PostgreSQL or Npgsql failure (<see cref="PgErrorClassification"/>), a record's fault being permanent here.</summary>
    static FailureKind ClassifyPostgres(NpgsqlException exception) =>
        PgErrorClassification.Classify(exception) == FailureKind.Transient ? FailureKind.Transient : FailureKind.Permanent;

    /// <summary>Classifies a Kafka client error.</summary>
    public static FailureKind ClassifyKafka(Error error) =>
        error.IsFatal || s_permanentKafkaCodes.Contains(error.Code) ? FailureKind.Permanent : FailureKind.Transient;
}
