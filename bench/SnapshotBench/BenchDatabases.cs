using System.Globalization;
using KafkaCdc.Bench.Common;
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
        await Sql.ExecuteAsync(serverConnectionString, $"CREATE DATABASE {SourceDatabase}");
        await Sql.ExecuteAsync(serverConnectionString, $"CREATE DATABASE {DestinationDatabase}");
        await Sql.ExecuteAsync(Source, $"""
            CREATE TABLE {Table} {BenchTable.Columns};
            {BenchTable.Insert(Table, "1", rows.ToString(CultureInfo.InvariantCulture))};
            CREATE SCHEMA kafkacdc;
            CREATE TABLE kafkacdc.kafkacdc_signal (id varchar(255) PRIMARY KEY, type varchar(32) NOT NULL, data varchar(2000) NULL);
            CREATE PUBLICATION {Publication} FOR ALL TABLES;
            """);
        await Sql.ExecuteAsync(Source, $"VACUUM (ANALYZE) {Table}");
        if (synchronousCommit is not null) await Sql.ExecuteAsync(Source, $"ALTER DATABASE {SourceDatabase} SET synchronous_commit = {synchronousCommit}");
        await Sql.ExecuteAsync(Destination, $"CREATE TABLE {Table}_copy {BenchTable.Columns}");
    }

    /// <summary>
    /// The baseline: <c>COPY (SELECT * FROM bench) TO STDOUT (FORMAT binary)</c> on the source piped into
    /// <c>COPY bench_copy FROM STDIN (FORMAT binary)</c> on the destination (emptied first); returns the seconds taken.
    /// </summary>
    public Task<TimeSpan> CopyPipeAsync(long expectedRows) => CopyPipe.RunAsync(Source, Table, Destination, $"{Table}_copy", expectedRows);

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
    public Task DropSlotAsync(string slot) => ReplicationSlots.DropAsync(Source, slot);

    /// <summary>Inserts an <c>execute-snapshot</c> signal asking for an incremental snapshot of <c>public.bench</c>.</summary>
    public Task SignalIncrementalSnapshotAsync(string id) =>
        Sql.ExecuteAsync(Source, $$"""
            INSERT INTO kafkacdc.kafkacdc_signal (id, type, data)
            VALUES ('{{id}}', 'execute-snapshot', '{"data-collections": ["public.{{Table}}"], "type": "incremental"}')
            """);
}
