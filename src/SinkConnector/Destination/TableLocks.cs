using Npgsql;

namespace KafkaCdc.SinkConnector.Destination;

/// <summary>
/// Transaction-scoped advisory locks per destination table, so that tasks and processes writing one table do not
/// trip over each other: DDL (create, add columns) and truncates take the table's lock exclusively, every batch
/// writing rows takes it shared before reading the truncate barrier. Keyed on a hash of the qualified name
/// (a collision only serialises two tables more than needed).
/// </summary>
public static class TableLocks
{
    /// <summary>The first key of the two-key advisory lock: "KCDC" in ASCII, to stay clear of other users' locks.</summary>
    public const int LockSpace = 0x4B434443;

    /// <summary>Takes the table's lock exclusively (DDL, truncate), waiting for every batch writing it.</summary>
    public static Task LockExclusiveAsync(ApplyTransaction transaction, string qualifiedName, CancellationToken cancellationToken) =>
        LockAsync(transaction, qualifiedName, exclusive: true, cancellationToken);

    /// <summary>Takes the table's lock shared (writing rows).</summary>
    public static Task LockSharedAsync(ApplyTransaction transaction, string qualifiedName, CancellationToken cancellationToken) =>
        LockAsync(transaction, qualifiedName, exclusive: false, cancellationToken);

    /// <summary>
    /// Runs <paramref name="createIfNotExists"/> (a <c>CREATE TABLE IF NOT EXISTS</c> of <paramref name="qualifiedName"/>)
    /// in a transaction of its own under the table's exclusive lock, so that processes starting together do not race on
    /// the catalog (two concurrent <c>IF NOT EXISTS</c> can still collide on the type's unique index).
    /// </summary>
    public static async Task CreateIfMissingAsync(NpgsqlConnection connection, string qualifiedName, string createIfNotExists, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var command = new NpgsqlCommand($"SELECT pg_catalog.pg_advisory_xact_lock({LockSpace}, pg_catalog.hashtext($1))", connection, transaction))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = qualifiedName });
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        await using (var command = new NpgsqlCommand(createIfNotExists, connection, transaction))
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    static async Task LockAsync(ApplyTransaction transaction, string qualifiedName, bool exclusive, CancellationToken cancellationToken)
    {
        var held = transaction.LocksHeld.GetValueOrDefault(qualifiedName);
        if (held == LockHeld.Exclusive || (held == LockHeld.Shared && !exclusive)) return;
        var function = exclusive ? "pg_advisory_xact_lock" : "pg_advisory_xact_lock_shared";
        await using var command = new NpgsqlCommand($"SELECT pg_catalog.{function}({LockSpace}, pg_catalog.hashtext($1))", transaction.Connection, transaction.Transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = qualifiedName });
        await command.ExecuteNonQueryAsync(cancellationToken);
        transaction.LocksHeld[qualifiedName] = exclusive ? LockHeld.Exclusive : LockHeld.Shared;
    }
}
