using System.Net.Sockets;
using KafkaCdc.Shared.Failures;
using Npgsql;

namespace KafkaCdc.Shared.Postgres;

/// <summary>
/// The one decision, for both connectors, of what a PostgreSQL error means: retry, the record's data, or stop. A table
/// of SQLSTATE codes and classes (<see href="https://www.postgresql.org/docs/current/errcodes-appendix.html">appendix A</see>),
/// tested row by row; a code's own row wins over its class's row, and anything not in the table is
/// <see cref="FailureKind.Permanent"/> (an unknown error stops the connector rather than being retried forever).
/// Each connector's classifier adds only what is its own: the sink retries undefined table/column after re-reading its
/// catalog cache and isolates ON CONFLICT cardinality violations to a record; the source, which cannot skip a change,
/// treats <see cref="FailureKind.Record"/> as permanent.
/// </summary>
/// <remarks>
/// <para>
/// <c>57014</c> query_canceled is transient: it reaches a classifier only from a server-side <c>statement_timeout</c> or
/// an operator's <c>pg_cancel_backend</c>, both of which a later attempt can outlive (Npgsql's own command timeout is a
/// transient <see cref="TimeoutException"/> too). A cancellation the connector asked for never gets here: Npgsql
/// reports it as an <see cref="OperationCanceledException"/>, and the runners check their own stopping token first.
/// </para>
/// <para>
/// Class <c>58</c> (system errors: I/O error, could not fork) is a server condition an operator or a restart fixes,
/// so transient, except <c>58P01</c> undefined_file and <c>58P02</c> duplicate_file: a file that is missing (a WAL
/// segment already removed, an output plugin that is not installed) stays missing however often one retries.
/// </para>
/// </remarks>
public static class PgErrorClassification
{
    /// <summary>The table; <see cref="ClassifySqlState"/> prefers a code's own row (58P01) to its class's (58).</summary>
    public static IReadOnlyList<SqlStateRule> Rules { get; } =
    [
        new("08", FailureKind.Transient, "connection_exception: the connection failed or was refused; reconnect"),
        new("40001", FailureKind.Transient, "serialization_failure: retry the transaction"),
        new("40P01", FailureKind.Transient, "deadlock_detected: retry the transaction"),
        new("53", FailureKind.Transient, "insufficient_resources (disk full, out of memory, too many connections): may clear"),
        new("55P03", FailureKind.Transient, "lock_not_available (lock_timeout, NOWAIT): the lock holder may finish"),
        new("57014", FailureKind.Transient, "query_canceled: statement_timeout or an operator's cancel; our own cancellation never gets here"),
        new("57P01", FailureKind.Transient, "admin_shutdown: the server is stopping; reconnect after it is back"),
        new("57P02", FailureKind.Transient, "crash_shutdown: the server is restarting after a crash"),
        new("57P03", FailureKind.Transient, "cannot_connect_now: the server is starting up or in recovery"),
        new("57P05", FailureKind.Transient, "idle_session_timeout: the server closed a connection that sat idle; reconnect"),
        new("58", FailureKind.Transient, "system_error, io_error: a server condition an operator or a restart fixes"),
        new("58P01", FailureKind.Permanent, "undefined_file: a removed WAL segment or a missing plugin stays missing"),
        new("58P02", FailureKind.Permanent, "duplicate_file: stays in the way"),
        new("22", FailureKind.Record, "data_exception: a value the server refuses"),
        new("23", FailureKind.Record, "integrity_constraint_violation: the row breaks a constraint"),
        new("28", FailureKind.Permanent, "invalid_authorization_specification: fix the credentials or pg_hba.conf"),
        new("3D", FailureKind.Permanent, "invalid_catalog_name: the database does not exist"),
        new("3F", FailureKind.Permanent, "invalid_schema_name: the schema does not exist"),
        new("42", FailureKind.Permanent, "syntax_error_or_access_rule_violation: missing privilege or object (e.g. a dropped slot)"),
        new("55", FailureKind.Permanent, "object_not_in_prerequisite_state: slot active elsewhere, wal_level not logical"),
        new("XX", FailureKind.Permanent, "internal_error: a server bug or corruption"),
    ];

    static readonly Dictionary<string, FailureKind> s_kinds = Rules.ToDictionary(r => r.SqlState, r => r.Kind, StringComparer.Ordinal);

    /// <summary>
    /// Classifies an Npgsql failure: a server error (<see cref="PostgresException"/>) by its SQLSTATE; any other is
    /// transient when the connection broke or timed out (an I/O, socket or timeout cause), else permanent (TLS or
    /// protocol setup refused, a bad connection string).
    /// </summary>
    public static FailureKind Classify(NpgsqlException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (exception is PostgresException postgres) return ClassifySqlState(postgres.SqlState);
        return exception.IsTransient || exception.InnerException is IOException or SocketException or TimeoutException
            ? FailureKind.Transient
            : FailureKind.Permanent;
    }

    /// <summary>Classifies a PostgreSQL error by its SQLSTATE: its own row, else its class's row, else permanent.</summary>
    public static FailureKind ClassifySqlState(string sqlState)
    {
        ArgumentNullException.ThrowIfNull(sqlState);
        if (s_kinds.TryGetValue(sqlState, out var kind)) return kind;
        return sqlState.Length >= 2 && s_kinds.TryGetValue(sqlState[..2], out kind) ? kind : FailureKind.Permanent;
    }
}
