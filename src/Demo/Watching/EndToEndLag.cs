using System.Collections.Concurrent;
using System.Diagnostics;
using Npgsql;

namespace KafkaCdc.Demo.Watching;

/// <summary>
/// Commit at the source → row at the destination, measured on the workload's inserts into one table: the workload
/// reports each inserted key with its commit time (<see cref="Committed"/>); each <see cref="MeasureAsync"/> looks the
/// oldest pending keys up at the destination. While some are missing, the lag is the age of the oldest missing one;
/// when all arrived, it is the longest wait among those found by this poll (an upper bound: polls are about 1 s apart).
/// </summary>
/// <remarks>The workload never deletes the keys it inserted, so every pending key eventually arrives.</remarks>
internal sealed class EndToEndLag(string destinationDb, string destinationTable)
{
    const int MaxLookup = 5000;
    readonly ConcurrentQueue<(long Key, long CommittedAt)> _pending = new();
    TimeSpan? _last;

    /// <summary>Called by the workload after the commit of an insert of <paramref name="key"/>.</summary>
    public void Committed(long key) => _pending.Enqueue((key, Stopwatch.GetTimestamp()));

    /// <summary>The current lag, or null when nothing was inserted yet.</summary>
    public async Task<TimeSpan?> MeasureAsync(CancellationToken cancellationToken)
    {
        var batch = _pending.Take(MaxLookup).ToList();
        if (batch.Count == 0) return _last;
        HashSet<long> present;
        await using (var connection = new NpgsqlConnection(destinationDb))
        {
            await connection.OpenAsync(cancellationToken);
            if (!await TableExistsAsync(connection, cancellationToken)) return Stopwatch.GetElapsedTime(batch[0].CommittedAt);
            await using var command = new NpgsqlCommand($"SELECT id FROM {destinationTable} WHERE id = ANY(@keys)", connection);
            command.Parameters.AddWithValue("keys", batch.Select(b => b.Key).ToArray());
            present = [];
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken)) present.Add(reader.GetInt64(0));
        }
        var longest = TimeSpan.Zero;
        // Only the queue's head is removed, in order, so a key that arrives out of order waits for those before it.
        while (_pending.TryPeek(out var head) && present.Contains(head.Key))
        {
            _pending.TryDequeue(out _);
            var waited = Stopwatch.GetElapsedTime(head.CommittedAt);
            if (waited > longest) longest = waited;
        }
        _last = _pending.TryPeek(out var oldest) ? Stopwatch.GetElapsedTime(oldest.CommittedAt) : longest;
        return _last;
    }

    async Task<bool> TableExistsAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT to_regclass(@table) IS NOT NULL", connection);
        command.Parameters.AddWithValue("table", destinationTable);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
