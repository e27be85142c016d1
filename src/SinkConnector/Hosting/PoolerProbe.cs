using System.Globalization;
using Npgsql;

namespace KafkaCdc.SinkConnector.Hosting;

/// <summary>
/// For <c>check</c>: whether a connection pooler or proxy (PgBouncer, pgcat, a cloud proxy) stands between the sink and
/// PostgreSQL, and whether it carries a transaction of several statements, which every batch needs.
/// </summary>
/// <remarks>
/// A pooler answers the startup itself, so the process id it announces (BackendKeyData, which it uses to route cancel
/// requests) is not the server process's <c>pg_backend_pid()</c>. Which server session serves the next transaction is
/// the pooler's choice; the sink does not care, as nothing of it outlives a transaction (session settings, staging
/// tables, table locks; no prepared statements). A pooler in statement mode (PgBouncer <c>pool_mode=statement</c>)
/// refuses the transaction.
/// </remarks>
internal static class PoolerProbe
{
    /// <summary>What stands between <paramref name="connection"/> and the server, or the problem a pooler poses.</summary>
    public static async Task<(string? Problem, string Detail)> DescribeAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        int first, second;
        try
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            first = await BackendPidAsync(connection, transaction, cancellationToken);
            second = await BackendPidAsync(connection, transaction, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (PostgresException e)
        {
            // PgBouncer in statement mode answers "transaction blocks not allowed in statement pooling mode" and closes
            // the connection. Other failures (the network) are the check's failure as they are.
            return ($"a transaction of two statements failed ({e.MessageText}): the sink writes each batch in one transaction, " +
                    "so a pooler in front must pool sessions or transactions, not statements (PgBouncer: pool_mode=transaction or session)", "");
        }
        var announced = connection.ProcessID;
        if (first != second)
            return ($"the two statements of one transaction ran in server processes {first} and {second}: the pooler in front must keep a transaction on one server session", "");
        if (announced == first)
            return (null, "none (the connection reaches the PostgreSQL server process directly)");
        return (null, string.Create(CultureInfo.InvariantCulture,
            $"a pooler or proxy is in front (the connection announced process {announced}, the server process is {first}), e.g. PgBouncer; fine with pool_mode=transaction or session: the sink keeps no session state across transactions"));
    }

    static async Task<int> BackendPidAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT pg_catalog.pg_backend_pid()", connection, transaction);
        return (int)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
