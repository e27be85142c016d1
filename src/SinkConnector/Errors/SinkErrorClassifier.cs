using System.Net.Sockets;
using Confluent.Kafka;
using Avro;
using KafkaCdc.Shared.AvroFormat;
using KafkaCdc.Shared.Postgres;
using KafkaCdc.Shared.SchemaRegistry;
using KafkaCdc.Shared.SchemaRegistry.Serdes;
using Npgsql;

namespace KafkaCdc.SinkConnector.Errors;

/// <summary>
/// The one place that decides whether a failure is retried, isolated to a record, or stops the task
/// (<see cref="FailureKind"/>). Tested row by row in <c>SinkErrorClassifierTests</c>.
/// </summary>
/// <remarks>
/// PostgreSQL errors go by SQLSTATE (<see href="https://www.postgresql.org/docs/current/errcodes-appendix.html">appendix A</see>):
/// connection exceptions (class 08), serialization failure (40001), deadlock (40P01), insufficient resources (53),
/// operator intervention (57P01-03 shutdowns, 57014 statement timeout) and lock timeouts (55P03) are transient, and so
/// are undefined table/column (42P01, 42703): the sink's catalog cache is stale (someone changed the table), and the
/// retry re-reads it. Data exceptions (22) and integrity constraint violations (23), and "ON CONFLICT affects a row
/// twice" (21000, keys equal to PostgreSQL but not as text, e.g. <c>1.0</c> and <c>1.00</c>) belong to a record.
/// Invalid authorization (28), unknown database or schema (3D, 3F), and every other syntax or access rule error (42,
/// e.g. 42501 missing privilege) stop the task. Schema registry failures (Confluent's client, after its own retries)
/// go by <see cref="RegistryFailures.IsTransient"/>: no answer and HTTP 408, 429, 5xx are transient; credentials
/// (401/403), 404 and TLS failures stop the task; a schema id the registry does not know (40403) makes the record
/// undecodable (<see cref="MessageDecodingException"/>). Anything unknown stops the task rather than being retried forever.
/// </remarks>
public static class SinkErrorClassifier
{
    /// <summary>Classifies <paramref name="exception"/>.</summary>
    public static FailureKind Classify(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception switch
        {
            PostgresException postgres => ClassifySqlState(postgres.SqlState),
            NpgsqlException npgsql => npgsql.IsTransient || npgsql.InnerException is IOException or SocketException or TimeoutException
                ? FailureKind.Transient
                : FailureKind.Task,
            UnwritableRecordException or MessageDecodingException or AvroDecodingException or AvroEncodingException or AvroException or PgValueEncodingException => FailureKind.Record,
            HttpRequestException registry => RegistryFailures.IsTransient(registry) ? FailureKind.Transient : FailureKind.Task,
            KafkaException kafka => kafka.Error.IsFatal ? FailureKind.Task : FailureKind.Transient,
            IOException or SocketException or TimeoutException => FailureKind.Transient,
            OperationCanceledException { InnerException: TimeoutException } => FailureKind.Transient, // HttpClient's timeout
            _ => FailureKind.Task,
        };
    }

    /// <summary>Classifies a PostgreSQL error by its SQLSTATE.</summary>
    public static FailureKind ClassifySqlState(string sqlState)
    {
        ArgumentNullException.ThrowIfNull(sqlState);
        switch (sqlState)
        {
            case "40001" or "40P01" or "57P01" or "57P02" or "57P03" or "57014" or "55P03" or "42P01" or "42703":
                return FailureKind.Transient;
            case "21000":
                return FailureKind.Record;
        }
        return (sqlState.Length >= 2 ? sqlState[..2] : sqlState) switch
        {
            "08" or "53" => FailureKind.Transient,
            "22" or "23" => FailureKind.Record,
            _ => FailureKind.Task, // 28, 3D, 3F, 42, XX and everything unknown
        };
    }
}
