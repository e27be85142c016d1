using System.Security.Cryptography;
using Avro;
using Confluent.Kafka;
using KafkaCdc.Shared.AvroFormat;
using KafkaCdc.Shared.Failures;
using KafkaCdc.Shared.Postgres;
using KafkaCdc.Shared.SchemaRegistry.Serdes;
using KafkaCdc.Shared.Ssh;
using KafkaCdc.SinkConnector.Destination;
using KafkaCdc.SinkConnector.Errors;
using KafkaCdc.Tests.Shared.Postgres.Errors;
using KafkaCdc.Tests.Shared.SchemaRegistry;
using Npgsql;

namespace KafkaCdc.Tests.SinkConnector.Errors;

/// <summary>The one retry-or-fail decision, row by row.</summary>
public class SinkErrorClassifierTests
{
    [TestCase("42P01", FailureKind.Transient, Description = "undefined table: stale catalog cache, re-read")]
    [TestCase("42703", FailureKind.Transient, Description = "undefined column: stale catalog cache, re-read")]
    [TestCase("21000", FailureKind.Record, Description = "ON CONFLICT affects a row twice")]
    public void PostgresErrors_TheSinksOwnRows(string sqlState, FailureKind expected)
    {
        Assert.That(SinkErrorClassifier.ClassifySqlState(sqlState), Is.EqualTo(expected));
        Assert.That(SinkErrorClassifier.Classify(new PostgresException("m", "ERROR", "ERROR", sqlState)), Is.EqualTo(expected));
    }

    static IEnumerable<TestCaseData> SharedRows() =>
        PgErrorClassification.Rules.Select(r => new TestCaseData(r.IsClass ? r.SqlState + "ZZZ" : r.SqlState, r.Kind).SetName($"PostgresErrors_{r.SqlState}_AsTheSharedTable_{r.Kind}"));

    /// <summary>Everything else is <see cref="PgErrorClassification"/>'s answer (its rows are tested in <c>PgErrorClassificationTests</c>).</summary>
    [TestCaseSource(nameof(SharedRows))]
    public void PostgresErrors_OtherwiseAsTheSharedTable(string sqlState, FailureKind expected) =>
        Assert.That(SinkErrorClassifier.Classify(new PostgresException("m", "ERROR", "ERROR", sqlState)), Is.EqualTo(expected));

    static IEnumerable<TestCaseData> Exceptions()
    {
        yield return new TestCaseData(new NpgsqlException("broken", new IOException("reset")), FailureKind.Transient).SetName("Npgsql I/O error");
        yield return new TestCaseData(new NpgsqlException("timeout", new TimeoutException()), FailureKind.Transient).SetName("Npgsql timeout");
        yield return new TestCaseData(new NpgsqlException("other"), FailureKind.Permanent).SetName("Npgsql other");
        yield return new TestCaseData(PgErrorClassificationTests.TlsRejected(), FailureKind.Permanent).SetName("server certificate rejected (wrong CA or host name)");
        yield return new TestCaseData(new CryptographicException("The provided password is incorrect."), FailureKind.Permanent).SetName("client key does not open");
        yield return new TestCaseData(new MessageDecodingException("bad", 7, null), FailureKind.Record).SetName("undecodable message");
        yield return new TestCaseData(new AvroDecodingException("bad", 3), FailureKind.Record).SetName("bad Avro");
        yield return new TestCaseData(new AvroException("Apache.Avro refused"), FailureKind.Record).SetName("Apache.Avro error");
        yield return new TestCaseData(new AvroEncodingException("does not fit"), FailureKind.Record).SetName("datum does not fit its schema");
        yield return new TestCaseData(new PgValueEncodingException("c", "bad", null), FailureKind.Record).SetName("datum does not fit");
        yield return new TestCaseData(new SchemaMismatchException("t", ["column"]), FailureKind.Record).SetName("schema refused");
        yield return new TestCaseData(new UnwritableRecordException("no key"), FailureKind.Record).SetName("unwritable record");
        foreach (var (failure, transient, name) in RegistryFailureRows.All())
            yield return new TestCaseData(failure, transient ? FailureKind.Transient : FailureKind.Permanent).SetName("registry " + name);
        yield return new TestCaseData(new TaskCanceledException("HttpClient.Timeout elapsed", new TimeoutException()), FailureKind.Transient).SetName("HttpClient timeout");
        yield return new TestCaseData(new KafkaException(ErrorCode.Local_Transport), FailureKind.Transient).SetName("broker transport");
        yield return new TestCaseData(new KafkaException(new Error(ErrorCode.Local_Fatal, "fatal", true)), FailureKind.Permanent).SetName("fatal Kafka error");
        yield return new TestCaseData(new SshTunnelException(FailureKind.Transient, "ssh.host/ssh.port", "ssh.host/ssh.port: connection refused"), FailureKind.Transient)
            .SetName("SSH server unreachable");
        yield return new TestCaseData(new SshTunnelException(FailureKind.Permanent, "ssh.known.hosts", "ssh.known.hosts: host key not in the file"), FailureKind.Permanent)
            .SetName("SSH host key not verified");
        yield return new TestCaseData(new InvalidOperationException("bug"), FailureKind.Permanent).SetName("anything else");
    }

    [TestCaseSource(nameof(Exceptions))]
    public void OtherFailures_ByType(Exception exception, FailureKind expected)
    {
        Assert.That(SinkErrorClassifier.Classify(exception), Is.EqualTo(expected));
    }
}
