using System.Net.Sockets;
using System.Security.Authentication;
using KafkaCdc.Shared.Failures;
using KafkaCdc.Shared.Postgres;
using Npgsql;

namespace KafkaCdc.Tests.Shared.Postgres.Errors;

/// <summary>The one PostgreSQL error decision both connectors take, row by row.</summary>
public class PgErrorClassificationTests
{
    [TestCase("08000", FailureKind.Transient, Description = "connection exception")]
    [TestCase("08001", FailureKind.Transient, Description = "cannot connect")]
    [TestCase("08006", FailureKind.Transient, Description = "connection failure")]
    [TestCase("08P01", FailureKind.Transient, Description = "protocol violation")]
    [TestCase("40001", FailureKind.Transient, Description = "serialization failure")]
    [TestCase("40P01", FailureKind.Transient, Description = "deadlock")]
    [TestCase("40002", FailureKind.Permanent, Description = "transaction integrity constraint violation: only 40001 and 40P01 of class 40")]
    [TestCase("53000", FailureKind.Transient, Description = "insufficient resources")]
    [TestCase("53100", FailureKind.Transient, Description = "disk full")]
    [TestCase("53200", FailureKind.Transient, Description = "out of memory")]
    [TestCase("53300", FailureKind.Transient, Description = "too many connections")]
    [TestCase("55P03", FailureKind.Transient, Description = "lock not available")]
    [TestCase("55000", FailureKind.Permanent, Description = "object not in prerequisite state: wal_level not logical, slot invalidated")]
    [TestCase("55006", FailureKind.Permanent, Description = "object in use: the slot is active elsewhere")]
    [TestCase("57014", FailureKind.Transient, Description = "query canceled: statement_timeout or an operator's cancel")]
    [TestCase("57P01", FailureKind.Transient, Description = "admin shutdown")]
    [TestCase("57P02", FailureKind.Transient, Description = "crash shutdown")]
    [TestCase("57P03", FailureKind.Transient, Description = "cannot connect now")]
    [TestCase("57P05", FailureKind.Transient, Description = "idle session timeout: the server closed an idle connection")]
    [TestCase("57P04", FailureKind.Permanent, Description = "database dropped")]
    [TestCase("58000", FailureKind.Transient, Description = "system error")]
    [TestCase("58030", FailureKind.Transient, Description = "I/O error")]
    [TestCase("58P01", FailureKind.Permanent, Description = "undefined file: a removed WAL segment, a missing plugin")]
    [TestCase("58P02", FailureKind.Permanent, Description = "duplicate file")]
    [TestCase("22P02", FailureKind.Record, Description = "invalid text representation")]
    [TestCase("22003", FailureKind.Record, Description = "numeric value out of range")]
    [TestCase("23502", FailureKind.Record, Description = "not null violation")]
    [TestCase("23505", FailureKind.Record, Description = "unique violation")]
    [TestCase("21000", FailureKind.Permanent, Description = "cardinality violation: a record's fault only in the sink's upsert, which says so itself")]
    [TestCase("28000", FailureKind.Permanent, Description = "invalid authorization: no pg_hba.conf entry")]
    [TestCase("28P01", FailureKind.Permanent, Description = "invalid password")]
    [TestCase("3D000", FailureKind.Permanent, Description = "invalid catalog name")]
    [TestCase("3F000", FailureKind.Permanent, Description = "invalid schema name")]
    [TestCase("42501", FailureKind.Permanent, Description = "insufficient privilege")]
    [TestCase("42601", FailureKind.Permanent, Description = "syntax error")]
    [TestCase("42704", FailureKind.Permanent, Description = "undefined object: the slot does not exist")]
    [TestCase("42P01", FailureKind.Permanent, Description = "undefined table: only the sink retries it, after re-reading its catalog cache")]
    [TestCase("XX000", FailureKind.Permanent, Description = "internal error")]
    [TestCase("0A000", FailureKind.Permanent, Description = "feature not supported: not in the table")]
    [TestCase("ZZZZZ", FailureKind.Permanent, Description = "unknown: stop rather than retry forever")]
    [TestCase("", FailureKind.Permanent, Description = "no SQLSTATE at all")]
    public void ClassifySqlState_ByCodeThenClass(string sqlState, FailureKind expected)
    {
        Assert.That(PgErrorClassification.ClassifySqlState(sqlState), Is.EqualTo(expected));
        Assert.That(PgErrorClassification.Classify(new PostgresException("m", "ERROR", "ERROR", sqlState)), Is.EqualTo(expected));
    }

    static IEnumerable<TestCaseData> TableRows() =>
        PgErrorClassification.Rules.Select(r => new TestCaseData(r).SetName($"Rule_{r.SqlState}_Is{r.Kind}"));

    [TestCaseSource(nameof(TableRows))]
    public void EveryRule_DecidesItsOwnCodeOrClass(SqlStateRule rule)
    {
        var example = rule.IsClass ? rule.SqlState + "ZZZ" : rule.SqlState;
        Assert.That(PgErrorClassification.ClassifySqlState(example), Is.EqualTo(rule.Kind), rule.Why);
    }

    [Test]
    public void Rules_NameEachCodeOrClassOnce() =>
        Assert.That(PgErrorClassification.Rules.Select(r => r.SqlState), Is.Unique.And.All.Length.EqualTo(2).Or.Length.EqualTo(5));

    static IEnumerable<TestCaseData> NpgsqlFailures()
    {
        yield return new TestCaseData(new NpgsqlException("broken", new IOException("reset")), FailureKind.Transient).SetName("Classify_NpgsqlIoError_IsTransient");
        yield return new TestCaseData(new NpgsqlException("timeout", new TimeoutException()), FailureKind.Transient).SetName("Classify_NpgsqlTimeout_IsTransient");
        yield return new TestCaseData(new NpgsqlException("refused", new SocketException((int)SocketError.ConnectionRefused)), FailureKind.Transient).SetName("Classify_ConnectionRefused_IsTransient");
        yield return new TestCaseData(new NpgsqlException("SSL required"), FailureKind.Permanent).SetName("Classify_NpgsqlWithoutCause_IsPermanent");
        yield return new TestCaseData(TlsRejected(), FailureKind.Permanent).SetName("Classify_ServerCertificateRejected_IsPermanent");
        yield return new TestCaseData(new NpgsqlException("Exception while performing SSL handshake", new IOException("Received an unexpected EOF or 0 bytes from the transport stream.")), FailureKind.Transient)
            .SetName("Classify_TlsHandshakeCutOff_IsTransient");
    }

    /// <summary>Npgsql's failure when the server's certificate does not verify (wrong CA, host name under verify-full): retrying cannot help.</summary>
    internal static NpgsqlException TlsRejected() =>
        new("Exception while performing SSL handshake", new AuthenticationException("The remote certificate was rejected by the provided RemoteCertificateValidationCallback."));

    [TestCaseSource(nameof(NpgsqlFailures))]
    public void Classify_NpgsqlFailureWithoutSqlState_ByCause(NpgsqlException exception, FailureKind expected) =>
        Assert.That(PgErrorClassification.Classify(exception), Is.EqualTo(expected));
}
