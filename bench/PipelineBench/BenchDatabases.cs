using KafkaCdc.Bench.Common;

namespace KafkaCdc.Bench.Pipeline;

/// <summary>
/// The benchmark's three databases on its one server: <c>pipe_source</c>, written by the workloads and read by both
/// paths; <c>pipe_sink</c>, the sink's destination; <c>pipe_native</c>, the subscription's destination (and the COPY
/// pipe's). Every run has tables of its own, named after the workload and the path, dropped at its end.
/// </summary>
internal sealed class BenchDatabases(BenchStack stack)
{
    const string ArrivalsTable = "pipebench_arrivals";

    public string Source { get; } = stack.ConnectionString("pipe_source");

    public string Sink { get; } = stack.ConnectionString("pipe_sink");

    public string Native { get; } = stack.ConnectionString("pipe_native");

    /// <summary>
    /// Creates the databases; in both destinations the arrivals table and the trigger function that records when a
    /// row's transaction commits there (see the program's header).
    /// </summary>
    public async Task CreateAsync(string synchronousCommit)
    {
        foreach (var database in new[] { "pipe_source", "pipe_sink", "pipe_native" })
            await Sql.ExecuteAsync(stack.Postgres.ConnectionString, $"CREATE DATABASE {database}");
        await Sql.ExecuteAsync(stack.Postgres.ConnectionString, $"ALTER DATABASE pipe_source SET synchronous_commit = {synchronousCommit}");
        foreach (var destination in new[] { Sink, Native })
        {
            await Sql.ExecuteAsync(destination, $"""
                CREATE TABLE {ArrivalsTable} (table_name text NOT NULL, id bigint NOT NULL, arrived_at timestamptz NOT NULL);
                -- Qualified: the apply worker runs with an empty search_path.
                CREATE FUNCTION pipebench_arrival() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    INSERT INTO public.{ArrivalsTable} VALUES (TG_TABLE_NAME, NEW.id, clock_timestamp());
                    RETURN NULL;
                END $$;
                """);
        }
    }

    /// <summary>
    /// Creates a run's source table (rows 1 to <paramref name="prefilledRows"/> in it, vacuumed) with its publication
    /// <c>pipebench_&lt;table&gt;</c>, and the same table in <paramref name="destination"/> holding the same rows; with
    /// <paramref name="arrivals"/> the destination table records each row's arrival. Autovacuum is off on both, so that
    /// it does not take CPU from one run and not from another.
    /// </summary>
    public async Task PrepareAsync(string table, long prefilledRows, string destination, bool arrivals)
    {
        var definition = $"CREATE TABLE {table} {BenchTable.Columns} WITH (autovacuum_enabled = false)";
        await Sql.ExecuteAsync(Source, $"{definition}; CREATE PUBLICATION {Publication(table)} FOR TABLE {table}");
        await Sql.ExecuteAsync(destination, definition);
        if (prefilledRows > 0)
        {
            await Sql.ExecuteAsync(Source, BenchTable.Insert(table, "1", $"{prefilledRows}"));
            await Sql.ExecuteAsync(Source, $"VACUUM (ANALYZE) {table}");
            await CopyPipe.RunAsync(Source, table, destination, table, prefilledRows);
            await Sql.ExecuteAsync(destination, $"VACUUM (ANALYZE) {table}");
        }
        if (arrivals)
        {
            // Deferred: it fires as the transaction commits, after the sink's batch or the apply worker's transaction
            // did everything else. ALWAYS: the apply worker runs as a replica (session_replication_role), which skips
            // ordinary triggers.
            await Sql.ExecuteAsync(destination, $"""
                CREATE CONSTRAINT TRIGGER pipebench_arrival AFTER INSERT ON {table} DEFERRABLE INITIALLY DEFERRED
                    FOR EACH ROW EXECUTE FUNCTION pipebench_arrival();
                ALTER TABLE {table} ENABLE ALWAYS TRIGGER pipebench_arrival;
                """);
        }
    }

    /// <summary>Drops a run's tables and publication (the slot is dropped by its path).</summary>
    public async Task DropAsync(string table, string destination)
    {
        await Sql.ExecuteAsync(Source, $"DROP PUBLICATION IF EXISTS {Publication(table)}; DROP TABLE IF EXISTS {table}");
        await Sql.ExecuteAsync(destination, $"DROP TABLE IF EXISTS {table}; DELETE FROM {ArrivalsTable} WHERE table_name = '{table}'");
    }

    /// <summary>
    /// Commit-to-destination latency of the rows of <paramref name="table"/> from key <paramref name="fromKey"/> on:
    /// each row's arrival (the first, should a row be written twice) minus its <c>created</c>, the time the source wrote it.
    /// </summary>
    public static async Task<LatencyStats> LatencyAsync(string destination, string table, long fromKey)
    {
        await using var connection = await Sql.OpenAsync(destination);
        await using var command = new Npgsql.NpgsqlCommand($"""
            SELECT count(*), percentile_cont(0.5) WITHIN GROUP (ORDER BY seconds), percentile_cont(0.99) WITHIN GROUP (ORDER BY seconds), max(seconds)
            FROM (SELECT extract(epoch FROM a.arrived_at - t.created)::float8 AS seconds
                  FROM {table} t JOIN (SELECT id, min(arrived_at) AS arrived_at FROM {ArrivalsTable} WHERE table_name = $1 GROUP BY id) a USING (id)
                  WHERE t.id >= $2) l
            """, connection) { Parameters = { new() { Value = table }, new() { Value = fromKey } }, CommandTimeout = 0 };
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        if (reader.GetInt64(0) == 0) throw new InvalidOperationException($"no arrivals recorded for {table} from key {fromKey} on");
        return new LatencyStats(reader.GetInt64(0), TimeSpan.FromSeconds(reader.GetDouble(1)), TimeSpan.FromSeconds(reader.GetDouble(2)), TimeSpan.FromSeconds(reader.GetDouble(3)));
    }

    /// <summary>The publication of a run's table (both paths stream it).</summary>
    public static string Publication(string table) => $"pipebench_{table}";
}
