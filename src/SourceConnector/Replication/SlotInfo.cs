using Npgsql;
using NpgsqlTypes;

namespace KafkaCdc.SourceConnector.Replication;

/// <summary>A replication slot as <c>pg_replication_slots</c> shows it.</summary>
/// <param name="Name">The slot name.</param>
/// <param name="Plugin">The output plugin (pgoutput), null for a physical slot.</param>
/// <param name="Database">The database of a logical slot.</param>
/// <param name="IsActive">A walsender is streaming from it.</param>
/// <param name="ActivePid">That walsender's process id.</param>
/// <param name="ConfirmedFlushLsn">The position the consumer last confirmed; streaming resumes at or after it.</param>
internal sealed record SlotInfo(string Name, string? Plugin, string? Database, bool IsActive, int? ActivePid, NpgsqlLogSequenceNumber? ConfirmedFlushLsn)
{
    /// <summary>The slot named <paramref name="name"/>, or null when there is none.</summary>
    public static async Task<SlotInfo?> ReadAsync(NpgsqlConnection connection, string name, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT slot_name::text, plugin::text, database::text, active, active_pid, confirmed_flush_lsn FROM pg_replication_slots WHERE slot_name = $1",
            connection)
        { Parameters = { new() { Value = name } } };
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) return null;
        return new SlotInfo(
            reader.GetString(0),
            reader.IsDBNull(1) ? null : reader.GetString(1),
            reader.IsDBNull(2) ? null : reader.GetString(2),
            reader.GetBoolean(3),
            reader.IsDBNull(4) ? null : reader.GetInt32(4),
            reader.IsDBNull(5) ? null : reader.GetFieldValue<NpgsqlLogSequenceNumber>(5));
    }
}
