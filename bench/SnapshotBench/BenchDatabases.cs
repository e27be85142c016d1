using System.Diagnostics;
using Npgsql;

namespace KafkaCdc.Bench.Snapshot;

/// <summary>
/// The two databases of the benchmark on one throwaway server: <c>snap_source</c> holds the table <c>public.bench</c>
/// the snapshots read (10 columns, SourceBench's mix), the signal table and a publication of all tables;
/// <c>snap_dest</c> receives the sink's copy (<c>public.bench</c>) and the COPY baseline's (<c>public.bench_copy</c>).
/// </summary>
internal sealed class BenchDatabases(string serverConnectionString)
{
    public const string SourceDatabase = "snap_source";
    public const string DestinationDatabase = "snap_dest";
    public const string Table = "bench";
    public const string Publication = "snapbench_pub";

    /// <summary>The table's definition, shared by the source table and the COPY baseline's target.</summary>
    const string TableColumns = """
        (id bigint PRIMARY KEY, quantity integer, amount_cents bigint, customer text, token varchar(64),
         price numeric(12,2), created timestamptz, paid boolean, weight double precision, ref uuid)
        """;

    /// <summary>The values of row <c>g</c>, as SourceBench writes them.</summary>
    const string RowValues =
        "g, (g % 100000)::int, g * 1000, 'customer ' || g, md5(g::text), (g % 100000) / 100.0, now(), g % 2 = 0, g * 1.5, md5(g::text)::uuid";

    public string Source { get; } = new NpgsqlConnectionStringBuilder(serverConnectionString) { Database = SourceDatabase }.ConnectionString;

    public string Destination { get; } = new NpgsqlConnectionStringBuilder(serverConnectionString) { Database = DestinationDatabase }.ConnectionString;

    /// <summary>Creates both databases and fills the source table with <paramref name="rows"/> rows, vacuumed and analysed.</summary>
    /// <remarks>
    /// VACUUM sets the hint bits and the visibility map now, so no snapshot pays for them, and ANALYZE gives the
    /// connector the row estimate it sizes its CTID chunks and progress by. The signal table is the one the README and
    /// the check command describe; the publication of all tables includes it, as incremental snapshots need.
    /// </remarks>
    public async Task CreateAsync(long rows, string? synchronousCommit)
    {
        await ExecuteAsync(serverConnectionString, $"CREATE DATABASE {SourceDatabase}");
        await ExecuteAsync(serverConnectionString, $"CREATE DATABASE {DestinationDatabase}");
        await ExecuteAsync(Source, $"""
            CREATE TABLE {Table} {TableColumns};
            INSERT INTO {Table} SELECT {RowValues} FROM generate_series(1::bigint, {rows}) g;
            CREATE SCHEMA kafkacdc;
            CREATE TABLE kafkacdc.kafkacdc_signal (id varchar(255) PRIMARY KEY, type varchar(32) NOT NULL, data varchar(2000) NULL);
            CREATE PUBLICATION {Publication} FOR ALL TABLES;
            """);
        await ExecuteAsync(Source, $"VACUUM (ANALYZE) {Table}");
        if (synchronousCommit is not null) await ExecuteAsync(Source, $"ALTER DATABASE {SourceDatabase} SET synchronous_commit = {synchronousCommit}");
        await ExecuteAsync(Destination, $"CREATE TABLE {Table}_copy {TableColumns}");
    }

    /// <summary>
    /// The baseline: <c>COPY (SELECT * FROM bench) TO STDOUT (FORMAT binary)</c> on the source piped into
    /// <c>COPY bench_copy FROM STDIN (FORMAT binary)</c> on the destination (emptied first); returns the seconds taken.
    /// </summary>
    public async Task<TimeSpan> CopyPipeAsync(long expectedRows)
    {
        await ExecuteAsync(Destination, $"TRUNCATE {Table}_copy");
        await using var from = await OpenAsync(Source);
        await using var to = await OpenAsync(Destination);
        var clock = Stopwatch.StartNew();
        await using (var input = await from.BeginRawBinaryCopyAsync($"COPY (SELECT * FROM {Table}) TO STDOUT (FORMAT binary)"))
        await using (var output = await to.BeginRawBinaryCopyAsync($"COPY {Table}_copy FROM STDIN (FORMAT binary)"))
        {
            await input.CopyToAsync(output);
        }
        var elapsed = clock.Elapsed;
        var copied = await CountAsync(Destination, $"{Table}_copy");
        if (copied != expectedRows) throw new InvalidOperationException($"the COPY pipe wrote {copied:N0} rows into {Table}_copy, not {expectedRows:N0}");
        return elapsed;
    }

    /// <summary>
    /// The WAL the slot makes PostgreSQL keep (current WAL position minus the slot's <c>restart_lsn</c>) and the WAL
    /// not yet confirmed (minus <c>confirmed_flush_lsn</c>), in bytes; null when the slot does not exist.
    /// </summary>
    public async Task<(long Retained, long Unconfirmed)?> SlotWalAsync(NpgsqlConnection source, string slot)
    {
        await using var command = new NpgsqlCommand("""
            SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)::bigint, pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn)::bigint
            FROM pg_replication_slots WHERE slot_name = $1
            """, source) { Parameters = { new() { Value = slot } } };
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? (reader.GetInt64(0), reader.GetInt64(1)) : null;
    }

    /// <summary>Drops the slot once its connector's walsender is gone (frees the WAL it holds).</summary>
    public Task DropSlotAsync(string slot) =>
        Poll.UntilAsync(async () =>
        {
            await using var connection = await OpenAsync(Source);
            await using var active = new NpgsqlCommand("SELECT active FROM pg_replication_slots WHERE slot_name = $1", connection) { Parameters = { new() { Value = slot } } };
            switch (await active.ExecuteScalarAsync())
            {
                case null: return true;
                case true: return false;
            }
            await using var drop = new NpgsqlCommand("SELECT pg_drop_replication_slot($1)", connection) { Parameters = { new() { Value = slot } } };
            await drop.ExecuteNonQueryAsync();
            return true;
        }, TimeSpan.FromSeconds(30), $"slot {slot} to be released by its connector and dropped");

    /// <summary>Inserts an <c>execute-snapshot</c> signal asking for an incremental snapshot of <c>public.bench</c>.</summary>
    public Task SignalIncrementalSnapshotAsync(string id) =>
        ExecuteAsync(Source, $$"""
            INSERT INTO kafkacdc.kafkacdc_signal (id, type, data)
            VALUES ('{{id}}', 'execute-snapshot', '{"data-collections": ["public.{{Table}}"], "type": "incremental"}')
            """);

    /// <summary>Rows of <paramref name="table"/> in the database of <paramref name="connectionString"/>.</summary>
    public static async Task<long> CountAsync(string connectionString, string table)
    {
        await using var connection = await OpenAsync(connectionString);
        await using var command = new NpgsqlCommand($"SELECT count(*) FROM {table}", connection) { CommandTimeout = 0 };
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public static async Task<NpgsqlConnection> OpenAsync(string connectionString)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        return connection;
    }

    public static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = await OpenAsync(connectionString);
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync();
    }
}
