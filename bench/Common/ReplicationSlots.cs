using Npgsql;

namespace KafkaCdc.Bench.Common;

/// <summary>Replication slots of a run, dropped at its end so that they free the WAL they hold.</summary>
public static class ReplicationSlots
{
    /// <summary>Drops <paramref name="slot"/> in the database of <paramref name="connectionString"/> once no walsender uses it (nothing when it does not exist).</summary>
    public static Task DropAsync(string connectionString, string slot) =>
        Poll.UntilAsync(async () =>
        {
            await using var connection = await Sql.OpenAsync(connectionString);
            await using var active = new NpgsqlCommand("SELECT active FROM pg_replication_slots WHERE slot_name = $1", connection) { Parameters = { new() { Value = slot } } };
            switch (await active.ExecuteScalarAsync())
            {
                case null: return true;
                case true: return false;
            }
            await using var drop = new NpgsqlCommand("SELECT pg_drop_replication_slot($1)", connection) { Parameters = { new() { Value = slot } } };
            await drop.ExecuteNonQueryAsync();
            return true;
        }, TimeSpan.FromSeconds(30), $"slot {slot} to be released by its walsender and dropped");
}
