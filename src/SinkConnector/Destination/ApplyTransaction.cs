using KafkaCdc.SinkConnector.Monitoring;
using Npgsql;

namespace KafkaCdc.SinkConnector.Destination;

/// <summary>
/// The state of one batch's database transaction: the connection and transaction, the table locks taken, the truncate
/// barriers read, and what was written. Lives from BEGIN to COMMIT or rollback of one batch.
/// </summary>
public sealed class ApplyTransaction : IAsyncDisposable
{
    /// <summary>Wraps an open transaction.</summary>
    public ApplyTransaction(NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        Connection = connection;
        Transaction = transaction;
    }

    /// <summary>The connection.</summary>
    public NpgsqlConnection Connection { get; }

    /// <summary>The transaction.</summary>
    public NpgsqlTransaction Transaction { get; }

    /// <summary>Advisory table locks held, by quoted qualified name.</summary>
    public Dictionary<string, LockHeld> LocksHeld { get; } = new(StringComparer.Ordinal);

    /// <summary>Truncate barriers read (the LSN of the table's last applied truncate, or null), by quoted qualified name.</summary>
    public Dictionary<string, long?> Barriers { get; } = new(StringComparer.Ordinal);

    /// <summary>Staging tables filled in this transaction (by their COPY statement).</summary>
    public HashSet<string> StagingUsed { get; } = new(StringComparer.Ordinal);

    /// <summary>What was written and skipped.</summary>
    public WriteCounts Counts { get; } = new();

    /// <summary>A command in this transaction.</summary>
    public NpgsqlCommand Command(string sql) => new(sql, Connection, Transaction);

    /// <summary>Rolls back if not committed.</summary>
    public ValueTask DisposeAsync() => Transaction.DisposeAsync();
}
