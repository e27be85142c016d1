using KafkaCdc.Shared.Postgres;
using KafkaCdc.SinkConnector.Decoding;
using KafkaCdc.SinkConnector.Destination;
using Npgsql;
using NpgsqlTypes;

namespace KafkaCdc.SinkConnector.Applying;

/// <summary>
/// Applies a truncate event once per distinct <c>source.lsn</c>: under the table's exclusive lock, if the recorded
/// barrier is not already at or past the event's LSN, empties the table (TRUNCATE, or DELETE where the connector's user
/// lacks the TRUNCATE privilege on a table it does not own) and records the LSN as the table's barrier, which makes
/// later-arriving older records of the table be skipped (<see cref="TruncateBarrier"/>). The barrier is recorded even
/// when the table does not exist yet, so older records cannot create it with rows the truncate removed. With soft
/// deletes it marks every row not marked yet at the truncate's commit time instead (adding the
/// <see cref="SoftDeleteColumns"/> when the table lacks them); the barrier works the same, over marked rows.
/// </summary>
public sealed class TruncateApplier
{
    readonly string _schema;
    readonly TruncateBarrier _barrier;
    readonly SchemaEvolution _evolution;
    readonly SoftDeleteColumns? _softDelete;

    /// <summary>Creates the applier for tables of <paramref name="schema"/>; with <paramref name="softDelete"/>, truncates mark rows.</summary>
    public TruncateApplier(string schema, TruncateBarrier barrier, SchemaEvolution evolution, SoftDeleteColumns? softDelete = null)
    {
        _schema = schema;
        _barrier = barrier;
        _evolution = evolution;
        _softDelete = softDelete;
    }

    /// <summary>Applies <paramref name="record"/> (a <c>t</c> event) in the batch's transaction.</summary>
    public async Task ApplyAsync(DestinationSession session, ApplyTransaction transaction, ChangeRecord record, CancellationToken cancellationToken)
    {
        var table = record.Table!;
        var qualified = PgIdentifier.Quote(_schema, table);
        await TableLocks.LockExclusiveAsync(transaction, qualified, cancellationToken);
        var barrier = await _barrier.ReadAsync(transaction, _schema, table, cancellationToken);
        if (record.Lsn is { } lsn && barrier >= lsn)
        {
            transaction.Counts.Skip("truncate_already_applied");
            return;
        }

        if (_softDelete is not null)
        {
            if (await _evolution.FitSoftDeleteAsync(session, transaction, table, cancellationToken) is not null)
            {
                await using var mark = transaction.Command($"UPDATE {qualified} SET {_softDelete.Mark("$1")} WHERE NOT {_softDelete.QuotedFlag}");
                mark.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bigint, Value = (object?)record.CommitTime ?? DBNull.Value });
                transaction.Counts.AddRows(table, "soft_delete", await mark.ExecuteNonQueryAsync(cancellationToken));
                transaction.Counts.AddRows(table, "truncate", 1);
            }
            if (record.Lsn is { } marked) await _barrier.RecordAsync(transaction, _schema, table, marked, cancellationToken);
            return;
        }

        var destination = await session.Catalog.DescribeAsync(transaction.Connection, _schema, table, cancellationToken);
        session.Tables[table] = destination;
        if (destination is not null)
        {
            await using var command = transaction.Command(destination.CanTruncate ? $"TRUNCATE {qualified}" : $"DELETE FROM {qualified}");
            await command.ExecuteNonQueryAsync(cancellationToken);
            transaction.Counts.AddRows(table, "truncate", 1);
        }
        if (record.Lsn is { } recorded) await _barrier.RecordAsync(transaction, _schema, table, recorded, cancellationToken);
    }
}
