using KafkaCdc.Shared.Postgres;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace KafkaCdc.SinkConnector.Destination;

/// <summary>
/// A task's connection to the destination and what is known about it: the described tables. What the applying stage
/// builds on them (bound shapes with their SQL) it keeps itself, and drops whenever <see cref="Generation"/> moves on.
/// One per task, used by its thread only.
/// </summary>
/// <remarks>
/// Nothing on the server outlives a transaction: the session settings are set per transaction, staging tables are
/// dropped at commit, table locks are transaction-scoped and no statement is prepared. So the connection may go through
/// a transaction-mode pooler (PgBouncer <c>pool_mode=transaction</c>), which gives each transaction any server session.
/// Failure path: after any failed transaction the owner calls <see cref="ResetAsync"/>, which closes the connection and
/// forgets every cache, so a retry starts from the catalog as it is, whatever DDL the failed transaction or another
/// process did.
/// </remarks>
public sealed class DestinationSession : IAsyncDisposable
{
    readonly NpgsqlDataSource _dataSource;
    readonly PgConnectionSettings? _connectionSettings;
    readonly ILogger _logger;
    NpgsqlConnection? _connection;
    int _stagingCounter;

    /// <summary>A session over <paramref name="dataSource"/>; connects on first use.</summary>
    /// <param name="dataSource">The destination's connections.</param>
    /// <param name="connectionSettings">Where they lead: with an SSH tunnel, it is opened again if it was lost before connecting.</param>
    /// <param name="logger">For the tunnel's messages.</param>
    public DestinationSession(NpgsqlDataSource dataSource, PgConnectionSettings? connectionSettings = null, ILogger? logger = null)
    {
        _dataSource = dataSource;
        _connectionSettings = connectionSettings;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The catalog reader.</summary>
    public TableCatalog Catalog { get; } = new();

    /// <summary>Destination tables by name (null: known not to exist), as last read.</summary>
    public Dictionary<string, DestinationTable?> Tables { get; } = new(StringComparer.Ordinal);

    /// <summary>Table <paramref name="table"/> of <paramref name="schema"/> as last read (<see cref="Tables"/>), read now if not yet; null: it does not exist.</summary>
    public async Task<DestinationTable?> TableAsync(ApplyTransaction transaction, string schema, string table, CancellationToken cancellationToken)
    {
        if (!Tables.TryGetValue(table, out var destination))
            Tables[table] = destination = await Catalog.DescribeAsync(transaction.Connection, schema, table, cancellationToken);
        return destination;
    }

    /// <summary>
    /// Changes whenever <see cref="Tables"/> is forgotten (<see cref="ForgetTables"/>, <see cref="ResetAsync"/>): caches
    /// built on the tables or the connection are stale from then on.
    /// </summary>
    public int Generation { get; private set; }

    /// <summary>An open connection.</summary>
    public async Task<NpgsqlConnection> ConnectionAsync(CancellationToken cancellationToken)
    {
        if (_connection is { State: System.Data.ConnectionState.Open }) return _connection;
        await ResetAsync();
        if (_connectionSettings is not null) await _connectionSettings.EnsureReachableAsync(_logger, cancellationToken);
        _connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        return _connection;
    }

    /// <summary>
    /// Begins a batch transaction under the session settings (<see cref="PgSessionSettings.SetLocalSql"/>: BEGIN and the
    /// settings go in one round trip), which last until its end like everything else the sink creates on the server.
    /// </summary>
    public async Task<ApplyTransaction> BeginAsync(CancellationToken cancellationToken)
    {
        var connection = await ConnectionAsync(cancellationToken);
        var transaction = new ApplyTransaction(connection, await connection.BeginTransactionAsync(cancellationToken));
        try
        {
            await using var settings = transaction.Command(PgSessionSettings.SetLocalSql);
            await settings.ExecuteNonQueryAsync(cancellationToken);
            return transaction;
        }
        catch
        {
            await transaction.DisposeAsync();
            throw;
        }
    }

    /// <summary>A new name for a staging table (created in each transaction that uses it, dropped at its commit).</summary>
    public string NextStagingName() => $"kafkacdc_stage_{++_stagingCounter}";

    /// <summary>Forgets the tables described (their DDL was rolled back, or they may have changed), so they are read again.</summary>
    public void ForgetTables()
    {
        Tables.Clear();
        Generation++;
    }

    /// <summary>Closes the connection and forgets everything known (after a failure).</summary>
    public async Task ResetAsync()
    {
        ForgetTables();
        Catalog.Invalidate();
        if (_connection is not null)
        {
            var connection = _connection;
            _connection = null;
            await connection.DisposeAsync();
        }
    }

    /// <summary>Closes the connection.</summary>
    public async ValueTask DisposeAsync() => await ResetAsync();
}
