using KafkaCdc.Shared.Hosting;
using KafkaCdc.Shared.Postgres;
using KafkaCdc.Shared.Ssh;
using KafkaCdc.SourceConnector.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using KafkaCdc.SourceConnector.Replication;
using Npgsql;
using NpgsqlTypes;

namespace KafkaCdc.SourceConnector.Check;

/// <summary>
/// The <c>check</c> command: verifies every prerequisite without changing anything and prints one pass/fail line
/// per item (the SSH tunnel when <c>ssh.enabled=true</c>, PostgreSQL and its TLS, publication, slot, heartbeat and
/// signal tables, topics, Kafka, the registry, the stored offset). Exit code 0 when all pass, <see cref="ConnectorCommandLine.CheckFailedExitCode"/> otherwise.
/// </summary>
internal static class PrerequisiteCheck
{
    /// <summary>Runs every check and prints the results; returns the exit code.</summary>
    public static async Task<int> RunAsync(SourceOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        var results = await CheckAsync(options, cancellationToken);
        foreach (var result in results) await output.WriteLineAsync(result.ToString());
        var failed = results.Count(r => !r.Passed);
        await output.WriteLineAsync(failed == 0
            ? $"All {results.Count} checks passed."
            : $"{failed} of {results.Count} checks failed.");
        return failed == 0 ? 0 : ConnectorCommandLine.CheckFailedExitCode;
    }

    /// <summary>The results, in the order printed.</summary>
    public static async Task<IReadOnlyList<CheckResult>> CheckAsync(SourceOptions options, CancellationToken cancellationToken)
    {
        var results = new List<CheckResult>();
        (bool Known, SlotInfo? Slot) slot = (false, null);
        if (options.IsPoolerHost)
        {
            results.Add(new("database host", false, options.PoolerRefusal));
        }
        else
        {
            results.Add(new("database host", true, $"{options.Hostname}:{options.Port} is not a connection pooler endpoint"));
            using var tunnel = options.Connection.Tunnel;
            if (tunnel is null || await CheckTunnelAsync(tunnel, results, cancellationToken))
                slot = await CheckPostgresAsync(options, results, cancellationToken);
        }
        await KafkaChecks.AddAsync(options, slot, results, cancellationToken);
        return results;
    }

    /// <summary>Opens the SSH tunnel: the server, its verified host key and the forward, or why not.</summary>
    /// <returns>Whether the tunnel is open (the PostgreSQL checks need it).</returns>
    static async Task<bool> CheckTunnelAsync(SshTunnel tunnel, List<CheckResult> results, CancellationToken cancellationToken)
    {
        try
        {
            var info = await tunnel.EnsureOpenAsync(NullLogger.Instance, cancellationToken);
            results.Add(new("SSH tunnel", true, info.Describe()));
            return true;
        }
        catch (SshTunnelException e)
        {
            results.Add(new("SSH tunnel", false, $"{e.Message} (the PostgreSQL checks need the tunnel)"));
            return false;
        }
    }

    /// <returns>The slot as found (Known false when PostgreSQL could not be asked).</returns>
    static async Task<(bool Known, SlotInfo? Slot)> CheckPostgresAsync(SourceOptions options, List<CheckResult> results, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(options.ConnectionString("check"));
        try
        {
            await connection.OpenAsync(cancellationToken);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            if (PgTlsDiagnosis.IsTlsFailure(e))
            {
                results.Add(new("connection", false, $"cannot connect to database '{options.Database}' as '{options.User}': the TLS handshake failed (the remaining PostgreSQL checks need a connection)"));
                results.Add(new("TLS", false, await PgTlsDiagnosis.DescribeAsync(e, options.Connection, cancellationToken)));
                return (false, null);
            }
            var through = options.Connection.Tunnel is { } tunnel
                ? $"; through the SSH tunnel, which the SSH server closes at once when it cannot reach {tunnel.Destination} itself"
                : "";
            results.Add(new("connection", false,
                $"cannot connect to database '{options.Database}' as '{options.User}': {e.Message}{through} (the remaining PostgreSQL checks need a connection)"));
            return (false, null);
        }
        var server = await ServerInfo.ReadAsync(connection, cancellationToken);
        results.Add(new("connection", true, $"connected to database '{options.Database}' as '{server.User}'"));
        var (tlsPassed, tls) = await PgTlsStatus.DescribeAsync(connection, options.Connection, cancellationToken);
        results.Add(new("TLS", tlsPassed, tls));

        results.AddRange(ServerRequirements.Evaluate(server, options).Select(r => new CheckResult(r.Item, r.Met, r.Detail)));

        var rules = new CaptureRules(options.Tables, options.HeartbeatTable, options.SignalTable);
        var tables = await SourceTables.ListAsync(connection, cancellationToken);
        var publication = await PublicationInfo.ReadAsync(connection, options.PublicationName, server.VersionNum, cancellationToken);
        await TableChecks.AddAsync(options, server, rules, tables, publication, connection, results, cancellationToken);

        var slot = await SlotInfo.ReadAsync(connection, options.SlotName, cancellationToken);
        results.Add(slot switch
        {
            null when !server.HasReplication => new("replication slot", false, $"'{options.SlotName}' does not exist and cannot be created without the REPLICATION attribute"),
            null when server.UsedReplicationSlots >= server.MaxReplicationSlots => new("replication slot", false,
                $"'{options.SlotName}' does not exist and all {server.MaxReplicationSlots} slots (max_replication_slots) are used"),
            null => new("replication slot", true, $"'{options.SlotName}' does not exist yet; the connector creates it on start"),
            { Plugin: not "pgoutput" } => new("replication slot", false, $"'{options.SlotName}' uses the plugin '{slot.Plugin}', not pgoutput"),
            _ when slot.Database != options.Database => new("replication slot", false, $"'{options.SlotName}' belongs to database '{slot.Database}'"),
            { IsActive: true } => new("replication slot", false, $"'{options.SlotName}' is in use by walsender PID {slot.ActivePid}: another consumer streams from it"),
            _ => new("replication slot", true, $"'{options.SlotName}' exists (pgoutput, confirmed at {slot.ConfirmedFlushLsn ?? NpgsqlLogSequenceNumber.Invalid})"),
        });
        return (true, slot);
    }
}
