using Npgsql;

namespace KafkaCdc.SinkConnector.Applying;

/// <summary>
/// A task's connection to the destination and what is known about it: described tables and bound shapes (which own
/// the temporary staging tables created on this connection). One per task, used by its thread only.
/// </summary>
/// <remarks>
/// Failure path: after any failed transaction the owner calls <see cref="ResetAsync"/>, which closes the connection
/// (dropping its temporary tables) and forgets every cache, so a retry starts from the catalog as it is, whatever DDL
/// the failed transaction or another process did.
/// </remarks>
public sealed class DestinationSession : IAsyncDisposable
{
    readonly NpgsqlDataSource _dataSource;
    NpgsqlConnection? _connection;
    int _stagingCounter;

    /// <summary>A session over <paramref name="dataSource"/>; connects on first use.</summary>
    public DestinationSession(NpgsqlDataSource dataSource) => _dataSource = dataSource;

    /// <summary>The catalog reader.</summary>
    public TableCatalog Catalog { get; } = new();

    /// <summary>Destination tables by name (null: known not to exist), as last read.</summary>
    public Dictionary<string, DestinationTable?> Tables { get; } = new(StringComparer.Ordinal);

    /// <summary>Shapes bound to tables.</summary>
    public Dictionary<(RecordShape Shape, DestinationTable Table), BoundTable> Bound { get; } = [];

    /// <summary>An open connection.</summary>
    public async Task<NpgsqlConnection> ConnectionAsync(CancellationToken cancellationToken)
    {
        if (_connection is { State: System.Data.ConnectionState.Open }) return _connection;
        await ResetAsync();
        _connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        return _connection;
    }

    /// <summary>Begins a batch transaction.</summary>
    public async Task<ApplyTransaction> BeginAsync(CancellationToken cancellationToken)
    {
        var connection = await ConnectionAsync(cancellationToken);
        return new ApplyTransaction(connection, await connection.BeginTransactionAsync(cancellationToken));
    }

    /// <summary>A new name for a staging table on this connection.</summary>
    public string NextStagingName() => $"kafkacdc_stage_{++_stagingCounter}";

    /// <summary>Closes the connection and forgets everything known (after a failure).</summary>
    public async Task ResetAsync()
    {
        Tables.Clear();
        Bound.Clear();
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
