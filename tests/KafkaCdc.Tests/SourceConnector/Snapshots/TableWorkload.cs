using Npgsql;

namespace KafkaCdc.Tests.SourceConnector.Snapshots;

/// <summary>
/// Changes to tables <c>(id integer PRIMARY KEY, v text, n integer)</c> while a snapshot runs, each its own transaction,
/// until stopped: single-row updates (which only ever increment <c>n</c>), small range updates, deletes, re-inserts
/// of a deleted range and inserts of new ids (from <c>firstNewId</c> on; a second workload on the same table needs other ids).
/// </summary>
internal sealed class TableWorkload : IDisposable
{
    readonly CancellationTokenSource _stop = new();
    readonly Task _task;
    int _changes;

    public TableWorkload(string connectionString, IReadOnlyList<string> tables, int maxId, int firstNewId = 1_000_000)
    {
        _task = Task.Run(async () =>
        {
            var random = new Random(11);
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            var next = firstNewId;
            while (!_stop.IsCancellationRequested)
            {
                var table = tables[random.Next(tables.Count)];
                var id = random.Next(1, maxId);
                var sql = random.Next(8) switch
                {
                    0 or 1 or 2 => $"UPDATE {table} SET v = 'w{next++}', n = n + 1 WHERE id = {id}",
                    3 => $"UPDATE {table} SET n = n + 1 WHERE id BETWEEN {id} AND {id + 20}",
                    4 => $"DELETE FROM {table} WHERE id = {id}",
                    5 => $"INSERT INTO {table} VALUES ({id + maxId}, 'reinsert', 0) ON CONFLICT DO NOTHING",
                    _ => $"INSERT INTO {table} VALUES ({next++}, 'ins', 0)",
                };
                await using var command = new NpgsqlCommand(sql, connection);
                await command.ExecuteNonQueryAsync();
                Interlocked.Increment(ref _changes);
                // Paced (not a synchronisation): an unpaced loop would fill the dev broker's partitions past what it keeps.
                await Task.Delay(1);
            }
        });
    }

    /// <summary>Transactions committed so far.</summary>
    public int Changes => Volatile.Read(ref _changes);

    /// <summary>Stops the changes and waits for the last one.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await _task;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
    }
}
