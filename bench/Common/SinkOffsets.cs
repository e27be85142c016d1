using Npgsql;

namespace KafkaCdc.Bench.Common;

/// <summary>How far a sink got, read where it records it: its offsets table in the destination database.</summary>
public static class SinkOffsets
{
    /// <summary>
    /// The records the sink's group <paramref name="group"/> applied: the sum of its next offsets in
    /// <c>public.kafkacdc_sink_offsets</c> (0 before the sink created the table). The sink writes them in the
    /// transaction that writes the rows, so once they reach a topic's record count the destination holds every record.
    /// </summary>
    public static async Task<long> AppliedAsync(NpgsqlConnection destination, string group)
    {
        try
        {
            await using var command = new NpgsqlCommand("SELECT coalesce(sum(next_offset), 0)::bigint FROM public.kafkacdc_sink_offsets WHERE group_id = $1", destination)
            {
                Parameters = { new() { Value = group } },
            };
            return (long)(await command.ExecuteScalarAsync())!;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            return 0;
        }
    }
}
