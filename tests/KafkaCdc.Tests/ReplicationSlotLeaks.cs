using Npgsql;

namespace KafkaCdc.Tests;

/// <summary>
/// The end-of-run check that no test left a replication slot behind (a leaked slot holds WAL for ever), run by
/// <see cref="TestEnvironmentSetUp"/>'s one-time teardown after every test, whatever order they ran in.
/// </summary>
internal static class ReplicationSlotLeaks
{
    /// <summary>
    /// Finds the slots this run left behind (in a database the run created, or named with the run's id by
    /// <see cref="TestEnvironment.UniqueName"/>), and drops them so that the databases can be dropped.
    /// </summary>
    /// <returns>One line per leaked slot: name, database, whether it was still active.</returns>
    public static async Task<IReadOnlyList<string>> DropAsync(string connectionString, IReadOnlyList<string> databases, string runId)
    {
        const string ours = "(database = ANY($1) OR slot_name LIKE $2)";
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var leaked = new List<string>();
        await using (var reader = await Command(
            $"SELECT slot_name || ' (database ' || coalesce(database, '-') || ', active ' || active || ')' FROM pg_replication_slots WHERE {ours} ORDER BY 1")
            .ExecuteReaderAsync())
        {
            while (await reader.ReadAsync()) leaked.Add(reader.GetString(0));
        }
        if (leaked.Count == 0) return leaked;
        // An active slot belongs to a connector a test did not stop: end its walsender first.
        await Command($"SELECT pg_terminate_backend(active_pid, 5000) FROM pg_replication_slots WHERE active_pid IS NOT NULL AND {ours}").ExecuteNonQueryAsync();
        await Command($"SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE NOT active AND {ours}").ExecuteNonQueryAsync();
        return leaked;

        NpgsqlCommand Command(string sql) =>
            new(sql, connection) { Parameters = { new() { Value = databases.ToArray() }, new() { Value = $"%\\_{runId}\\_%" } } };
    }
}
