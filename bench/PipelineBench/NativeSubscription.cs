using KafkaCdc.Bench.Common;
using KafkaCdc.DevStack.Postgres;
using Npgsql;

namespace KafkaCdc.Bench.Pipeline;

/// <summary>
/// PostgreSQL's own logical replication between two databases of the server: the run's publication on the source, a
/// subscription in <c>pipe_native</c> (<c>copy_data=false</c>: the rows that exist before were copied already).
/// </summary>
/// <remarks>
/// A subscription to a database of the same cluster cannot create its slot (CREATE SUBSCRIPTION would wait for its own
/// transaction), so the slot is created first with <c>pg_create_logical_replication_slot(…, 'pgoutput')</c> and the
/// subscription made with <c>create_slot=false</c>. The apply worker applies whole transactions in commit order, so
/// once a row the last transaction wrote shows its final content, the destination holds the final state. At the end the
/// subscription is disabled and detached from its slot before it is dropped, and the slot is dropped here.
/// </remarks>
internal sealed class NativeSubscription(BenchDatabases databases, TemporaryPostgres server, string table, Workload workload) : IReplicationPath
{
    string? _expectedLastRow;
    bool _created;

    public string Name => "native logical replication";

    public string Destination => databases.Native;

    public ConnectorProcess? SourceProcess => null;

    public ConnectorProcess? SinkProcess => null;

    string Slot => $"pipebench_{table}";

    string Subscription => $"pipebench_{table}";

    public async Task StartAsync()
    {
        await Sql.ExecuteAsync(databases.Source, $"SELECT pg_create_logical_replication_slot('{Slot}', 'pgoutput')");
        var connection = $"host=127.0.0.1 port={server.Port} user={TemporaryPostgres.SuperUser} password={server.Password} dbname=pipe_source";
        await Sql.ExecuteAsync(databases.Native, $"""
            CREATE SUBSCRIPTION {Subscription} CONNECTION '{connection}' PUBLICATION {BenchDatabases.Publication(table)}
            WITH (create_slot = false, slot_name = '{Slot}', copy_data = false)
            """);
        _created = true;
        await Poll.UntilAsync(async () =>
        {
            await using var source = await Sql.OpenAsync(databases.Source);
            await using var active = new NpgsqlCommand("SELECT active FROM pg_replication_slots WHERE slot_name = $1", source) { Parameters = { new() { Value = Slot } } };
            return await active.ExecuteScalarAsync() is true;
        }, TimeSpan.FromSeconds(60), $"the apply worker of subscription {Subscription} to stream from slot {Slot}");
    }

    public async Task<bool> HoldsFinalStateAsync(NpgsqlConnection destination, WorkloadWriter? writer)
    {
        await ThrowIfApplyFailedAsync(destination);
        if (writer is null || !writer.Done) return false;
        if (_expectedLastRow is null)
        {
            await using var source = await Sql.OpenAsync(databases.Source);
            _expectedLastRow = await LastRowAsync(source) ?? throw new InvalidOperationException($"{table} has no row {workload.LastKey} at the source");
        }
        return await LastRowAsync(destination) == _expectedLastRow;
    }

    public void ThrowIfFailed()
    {
        // Checked with the final state (ThrowIfApplyFailedAsync): it takes a query.
    }

    /// <summary>
    /// Throws when the apply worker failed: it would restart and fail again every few seconds until the deadline, the
    /// reason only in the server's log, whose last error is quoted.
    /// </summary>
    async Task ThrowIfApplyFailedAsync(NpgsqlConnection destination)
    {
        await using var command = new NpgsqlCommand("SELECT apply_error_count FROM pg_stat_subscription_stats WHERE subname = $1", destination)
        {
            Parameters = { new() { Value = Subscription } },
        };
        if (await command.ExecuteScalarAsync() is long errors and > 0)
        {
            var lastError = server.ReadServerLog().Split('\n').LastOrDefault(l => l.Contains("ERROR:", StringComparison.Ordinal));
            throw new InvalidOperationException($"the apply worker of subscription {Subscription} failed {errors} time(s); the server's last error: {lastError}");
        }
    }

    async Task<string?> LastRowAsync(NpgsqlConnection connection)
    {
        await using var command = new NpgsqlCommand($"SELECT md5(t::text) FROM {table} t WHERE id = $1", connection) { Parameters = { new() { Value = workload.LastKey } } };
        return await command.ExecuteScalarAsync() as string;
    }

    public async ValueTask DisposeAsync()
    {
        if (_created)
        {
            await Sql.ExecuteAsync(databases.Native, $"ALTER SUBSCRIPTION {Subscription} DISABLE");
            await Sql.ExecuteAsync(databases.Native, $"ALTER SUBSCRIPTION {Subscription} SET (slot_name = NONE)");
            await Sql.ExecuteAsync(databases.Native, $"DROP SUBSCRIPTION {Subscription}");
        }
        await ReplicationSlots.DropAsync(databases.Source, Slot);
    }
}
