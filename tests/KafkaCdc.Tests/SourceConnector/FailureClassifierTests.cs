using System.Net.Sockets;
using System.Security.Cryptography;
using Avro;
using Confluent.Kafka;
using KafkaCdc.Shared.AvroFormat;
using KafkaCdc.Shared.Configuration;
using KafkaCdc.Shared.Failures;
using KafkaCdc.Shared.Postgres;
using KafkaCdc.Shared.Ssh;
using KafkaCdc.SourceConnector;
using KafkaCdc.Tests.Shared.Postgres.Errors;
using KafkaCdc.Tests.Shared.SchemaRegistry;
using Npgsql;

namespace KafkaCdc.Tests.SourceConnector;

/// <summary>The one place that decides retry (reconnect from the stored offset) or stop, row by row.</summary>
public class FailureClassifierTests
{
    static IEnumerable<TestCaseData> Failures()
    {
        static TestCaseData Row(Exception exception, FailureKind kind, string name) => new TestCaseData(exception, kind.ToString()).SetName($"Classify_{name}_Is{kind}");

        static PostgresException Pg(string sqlState) => new("message", "ERROR", "ERROR", sqlState);

        yield return Row(Pg("08006"), FailureKind.Transient, "ConnectionFailure08006");
        yield return Row(Pg("08P01"), FailureKind.Transient, "ProtocolViolation08P01");
        yield return Row(Pg("57P01"), FailureKind.Transient, "AdminShutdown57P01");
        yield return Row(Pg("57P02"), FailureKind.Transient, "CrashShutdown57P02");
        yield return Row(Pg("57P03"), FailureKind.Transient, "CannotConnectNow57P03");
        yield return Row(Pg("53300"), FailureKind.Transient, "TooManyConnections53300");
        yield return Row(Pg("53100"), FailureKind.Transient, "DiskFull53100");
        yield return Row(Pg("40001"), FailureKind.Transient, "SerializationFailure40001");
        yield return Row(Pg("40P01"), FailureKind.Transient, "Deadlock40P01");
        yield return Row(Pg("55P03"), FailureKind.Transient, "LockNotAvailable55P03");
        yield return Row(Pg("58030"), FailureKind.Transient, "IoError58030");
        yield return Row(Pg("58P01"), FailureKind.Permanent, "UndefinedFile58P01"); // unified with the sink (was transient): a removed WAL segment stays removed
        yield return Row(Pg("57014"), FailureKind.Transient, "QueryCanceled57014"); // unified with the sink (was permanent): statement_timeout
        yield return Row(Pg("23505"), FailureKind.Permanent, "UniqueViolation23505"); // a record's fault is permanent here: a change cannot be skipped
        yield return Row(Pg("28P01"), FailureKind.Permanent, "BadPassword28P01");
        yield return Row(Pg("28000"), FailureKind.Permanent, "NoPgHbaEntry28000");
        yield return Row(Pg("42501"), FailureKind.Permanent, "InsufficientPrivilege42501");
        yield return Row(Pg("42704"), FailureKind.Permanent, "SlotDoesNotExist42704");
        yield return Row(Pg("42P01"), FailureKind.Permanent, "UndefinedTable42P01");
        yield return Row(Pg("3D000"), FailureKind.Permanent, "NoSuchDatabase3D000");
        yield return Row(Pg("55006"), FailureKind.Permanent, "SlotInUse55006");
        yield return Row(Pg("55000"), FailureKind.Permanent, "WalLevelNotLogical55000");
        yield return Row(Pg("22P02"), FailureKind.Permanent, "InvalidText22P02");
        yield return Row(new NpgsqlException("broken", new IOException("reset")), FailureKind.Transient, "NpgsqlIoError");
        yield return Row(new NpgsqlException("timeout", new TimeoutException()), FailureKind.Transient, "NpgsqlTimeout");
        yield return Row(new NpgsqlException("refused", new SocketException((int)SocketError.ConnectionRefused)), FailureKind.Transient, "ConnectionRefused");
        yield return Row(new NpgsqlException("SSL required"), FailureKind.Permanent, "NpgsqlWithoutCause");
        yield return Row(PgErrorClassificationTests.TlsRejected(), FailureKind.Permanent, "ServerCertificateRejected");
        yield return Row(new CryptographicException("The provided password is incorrect."), FailureKind.Permanent, "ClientKeyDoesNotOpen");
        yield return Row(new KafkaException(new Error(ErrorCode.Local_Transport, "down")), FailureKind.Transient, "KafkaTransport");
        yield return Row(new KafkaException(new Error(ErrorCode.Local_TimedOut, "slow")), FailureKind.Transient, "KafkaTimeout");
        yield return Row(new KafkaException(new Error(ErrorCode.NotEnoughReplicas, "isr")), FailureKind.Transient, "KafkaNotEnoughReplicas");
        yield return Row(new KafkaException(new Error(ErrorCode.OutOfOrderSequenceNumber, "fatal", true)), FailureKind.Permanent, "KafkaFatal");
        yield return Row(new KafkaException(new Error(ErrorCode.MsgSizeTooLarge, "big")), FailureKind.Permanent, "KafkaRecordTooLarge");
        yield return Row(new KafkaException(new Error(ErrorCode.TopicAuthorizationFailed, "acl")), FailureKind.Permanent, "KafkaTopicAuthorization");
        yield return Row(new KafkaException(new Error(ErrorCode.SaslAuthenticationFailed, "sasl")), FailureKind.Permanent, "KafkaAuthentication");
        foreach (var (failure, transient, name) in RegistryFailureRows.All())
            yield return Row(failure, transient ? FailureKind.Transient : FailureKind.Permanent, "Registry" + name);
        yield return Row(new TaskCanceledException("HttpClient.Timeout elapsed", new TimeoutException()), FailureKind.Transient, "HttpClientTimeout");
        yield return Row(new OperationCanceledException("cancelled"), FailureKind.Permanent, "CancelledWithoutTimeout");
        yield return Row(new PgValueDecodingException("c", "integer", "x", new FormatException()), FailureKind.Permanent, "UndecodableValue");
        yield return Row(new AvroEncodingException("does not fit"), FailureKind.Permanent, "UnencodableValue");
        yield return Row(new AvroException("Apache.Avro refused"), FailureKind.Permanent, "ApacheAvroError");
        yield return Row(new ConfigException(["name: is required"]), FailureKind.Permanent, "Configuration");
        yield return Row(new SourceConnectorException(FailureKind.Transient, "retry me"), FailureKind.Transient, "OwnTransient");
        yield return Row(new SourceConnectorException(FailureKind.Permanent, "slot dropped"), FailureKind.Permanent, "OwnPermanent");
        yield return Row(new SshTunnelException(FailureKind.Transient, "ssh.host/ssh.port", "ssh.host/ssh.port: cannot connect to b:22: connection refused"),
            FailureKind.Transient, "SshServerUnreachable");
        yield return Row(new SshTunnelException(FailureKind.Permanent, "ssh.private.key", "ssh.private.key: the SSH server b:22 refused the key"),
            FailureKind.Permanent, "SshKeyRefused");
        yield return Row(new IOException("pipe"), FailureKind.Transient, "IoError");
        yield return Row(new AggregateException(new IOException("a"), new KafkaException(ErrorCode.Local_Transport)), FailureKind.Transient, "AggregateOfTransient");
        yield return Row(new AggregateException(new IOException("a"), new AvroEncodingException("b")), FailureKind.Permanent, "AggregateWithPermanent");
        yield return Row(new InvalidOperationException("bug"), FailureKind.Permanent, "Unexpected");
    }

    [TestCaseSource(nameof(Failures))]
    public void Classify(Exception exception, string expected) =>
        Assert.That(FailureClassifier.Classify(exception).ToString(), Is.EqualTo(expected));
}
