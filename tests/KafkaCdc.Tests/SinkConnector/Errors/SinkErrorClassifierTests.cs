using Confluent.Kafka;
using Avro;
using Avro.Generic;
using KafkaCdc.Shared.AvroFormat;
using KafkaCdc.Shared.Postgres;
using KafkaCdc.Shared.SchemaRegistry.Serdes;
using KafkaCdc.SinkConnector.Destination;
using KafkaCdc.SinkConnector.Errors;
using KafkaCdc.Tests.Shared.SchemaRegistry;
using Npgsql;

namespace KafkaCdc.Tests.SinkConnector.Errors;

/// <summary>The one retry-or-fail decision, row by row.</summary>
public class SinkErrorClassifierTests
{
    [TestCase("08006", FailureKind.Transient, Description = "connection failure")]
    [TestCase("08001", FailureKind.Transient, Description = "cannot connect")]
    [TestCase("40001", FailureKind.Transient, Description = "serialization failure")]
    [TestCase("40P01", FailureKind.Transient, Description = "deadlock")]
    [TestCase("53300", FailureKind.Transient, Description = "too many connections")]
    [TestCase("53100", FailureKind.Transient, Description = "disk full")]
    [TestCase("57P01", FailureKind.Transient, Description = "admin shutdown")]
    [TestCase("57P02", FailureKind.Transient, Description = "crash shutdown")]
    [TestCase("57P03", FailureKind.Transient, Description = "cannot connect now")]
    [TestCase("57014", FailureKind.Transient, Description = "statement timeout")]
    [TestCase("55P03", FailureKind.Transient, Description = "lock not available")]
    [TestCase("42P01", FailureKind.Transient, Description = "undefined table: stale catalog cache, re-read")]
    [TestCase("42703", FailureKind.Transient, Description = "undefined column: stale catalog cache, re-read")]
    [TestCase("22P02", FailureKind.Record, Description = "invalid text representation")]
    [TestCase("22003", FailureKind.Record, Description = "numeric value out of range")]
    [TestCase("23502", FailureKind.Record, Description = "not null violation")]
    [TestCase("23505", FailureKind.Record, Description = "unique violation")]
    [TestCase("23514", FailureKind.Record, Description = "check violation")]
    [TestCase("21000", FailureKind.Record, Description = "ON CONFLICT affects a row twice")]
    [TestCase("28P01", FailureKind.Task, Description = "invalid password")]
    [TestCase("28000", FailureKind.Task, Description = "invalid authorization")]
    [TestCase("3D000", FailureKind.Task, Description = "invalid catalog name")]
    [TestCase("3F000", FailureKind.Task, Description = "invalid schema name")]
    [TestCase("42501", FailureKind.Task, Description = "insufficient privilege")]
    [TestCase("42601", FailureKind.Task, Description = "syntax error")]
    [TestCase("XX000", FailureKind.Task, Description = "internal error")]
    [TestCase("0A000", FailureKind.Task, Description = "feature not supported")]
    public void PostgresErrors_BySqlState(string sqlState, FailureKind expected)
    {
        Assert.That(SinkErrorClassifier.ClassifySqlState(sqlState), Is.EqualTo(expected));
        Assert.That(SinkErrorClassifier.Classify(new PostgresException("m", "ERROR", "ERROR", sqlState)), Is.EqualTo(expected));
    }

    static IEnumerable<TestCaseData> Exceptions()
    {
        yield return new TestCaseData(new NpgsqlException("broken", new IOException("reset")), FailureKind.Transient).SetName("Npgsql I/O error");
        yield return new TestCaseData(new NpgsqlException("timeout", new TimeoutException()), FailureKind.Transient).SetName("Npgsql timeout");
        yield return new TestCaseData(new NpgsqlException("other"), FailureKind.Task).SetName("Npgsql other");
        yield return new TestCaseData(new MessageDecodingException("bad", 7, null), FailureKind.Record).SetName("undecodable message");
        yield return new TestCaseData(new AvroDecodingException("bad", 3), FailureKind.Record).SetName("bad Avro");
        yield return new TestCaseData(new AvroException("Apache.Avro refused"), FailureKind.Record).SetName("Apache.Avro error");
        yield return new TestCaseData(new AvroEncodingException("does not fit"), FailureKind.Record).SetName("datum does not fit its schema");
        yield return new TestCaseData(new PgValueEncodingException("c", "bad", null), FailureKind.Record).SetName("datum does not fit");
        yield return new TestCaseData(new SchemaMismatchException("t", ["column"]), FailureKind.Record).SetName("schema refused");
        yield return new TestCaseData(new UnwritableRecordException("no key"), FailureKind.Record).SetName("unwritable record");
        foreach (var (failure, transient, name) in RegistryFailureRows.All())
            yield return new TestCaseData(failure, transient ? FailureKind.Transient : FailureKind.Task).SetName("registry " + name);
        yield return new TestCaseData(new TaskCanceledException("HttpClient.Timeout elapsed", new TimeoutException()), FailureKind.Transient).SetName("HttpClient timeout");
        yield return new TestCaseData(new KafkaException(ErrorCode.Local_Transport), FailureKind.Transient).SetName("broker transport");
        yield return new TestCaseData(new KafkaException(new Error(ErrorCode.Local_Fatal, "fatal", true)), FailureKind.Task).SetName("fatal Kafka error");
        yield return new TestCaseData(new InvalidOperationException("bug"), FailureKind.Task).SetName("anything else");
    }

    [TestCaseSource(nameof(Exceptions))]
    public void OtherFailures_ByType(Exception exception, FailureKind expected)
    {
        Assert.That(SinkErrorClassifier.Classify(exception), Is.EqualTo(expected));
    }
}
