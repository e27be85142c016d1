using System.Net.Sockets;
using Avro;
using Confluent.Kafka;
using KafkaCdc.Shared.AvroFormat;
using KafkaCdc.Shared.Failures;
using KafkaCdc.Shared.Postgres;
using KafkaCdc.Shared.SchemaRegistry;
using KafkaCdc.Shared.SchemaRegistry.Serdes;
using KafkaCdc.Shared.Ssh;
using Npgsql;

namespace KafkaCdc.SinkConnector.Errors;

/// <summary>
/// The one place that decides whether a failure is retried, isolated to a record, or stops the task
/// (<see cref="FailureKind"/>). Tested row by row in <c>SinkErrorClassifierTests</c>.
/// </summary>
/// <remarks>
/// PostgreSQL errors go by <see cref="PgErrorClassification"/>, shared with the source (connection exceptions,
/// serialization failures, deadlocks, shutdowns, statement timeouts and lock timeouts are transient; data exceptions
/// and constraint violations belong to a record; authorization, unknown database or schema, and other syntax or access
/// rule errors such as 42501 stop the task). What is the sink's own: undefined table/column (42P01, 42703) are
/// transient, because the sink's catalog cache is stale (someone changed the table) and the retry re-reads it; and
/// "ON CONFLICT affects a row twice" (21000, keys equal to PostgreSQL but not as text, e.g. <c>1.0</c> and
/// <c>1.00</c>) belongs to a record. Schema registry failures (Confluent's client, after its own retries) go by
/// <see cref="RegistryFailures.IsTransient"/>: no answer and HTTP 408, 429, 5xx are transient; credentials (401/403),
/// 404 and TLS failures stop the task; a schema id the registry does not know (40403) makes the record undecodable
/// (<see cref="MessageDecodingException"/>). The SSH tunnel's failures carry their kind (<see cref="SshTunnelException.Kind"/>:
/// a refused key or unverified host key stops the task, an unreachable SSH server is retried). Anything unknown stops
/// the task rather than being retried forever.
/// </remarks>
public static class SinkErrorClassifier
{
    /// <summary>Classifies <paramref name="exception"/>.</summary>
    public static FailureKind Classify(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception switch
        {
            SshTunnelException tunnel => tunnel.Kind,
            PostgresException postgres => ClassifySqlState(postgres.SqlState),
            NpgsqlException npgsql => PgErrorClassification.Classify(npgsql),
            UnwritableRecordException or MessageDecodingException or AvroDecodingException or AvroEncodingException or AvroException or PgValueEncodingException => FailureKind.Record,
            HttpRequestException registry => RegistryFailures.IsTransient(registry) ? FailureKind.Transient : FailureKind.Permanent,
            KafkaException kafka => kafka.Error.IsFatal ? FailureKind.Permanent : FailureKind.Transient,
            IOException or SocketException or TimeoutException => FailureKind.Transient,
            OperationCanceledException { InnerException: TimeoutException } => FailureKind.Transient, // HttpClient's timeout
            _ => FailureKind.Permanent,
        };
    }

    /// <summary>Classifies a PostgreSQL error by its SQLSTATE: the sink's own rows, then <see cref="PgErrorClassification"/>.</summary>
    public static FailureKind ClassifySqlState(string sqlState) => sqlState switch
    {
        "42P01" or "42703" => FailureKind.Transient, // undefined table/column: the catalog cache is stale, the retry re-reads it
        "21000" => FailureKind.Record, // ON CONFLICT DO UPDATE affects a row twice: two keys of the batch equal to PostgreSQL
        _ => PgErrorClassification.ClassifySqlState(sqlState),
    };
}
