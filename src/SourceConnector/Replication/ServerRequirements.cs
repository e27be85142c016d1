using KafkaCdc.Shared.Failures;
using KafkaCdc.Shared.Postgres;
using KafkaCdc.SourceConnector.Configuration;

namespace KafkaCdc.SourceConnector.Replication;

/// <summary>
/// What the server and the connector's role must offer for the configuration at hand: the one list that both the
/// <c>check</c> command prints (one line per requirement) and start-up refuses with
/// (<see cref="ThrowIfUnmet"/>, before anything is created).
/// </summary>
internal static class ServerRequirements
{
    /// <summary>Versions that features need, in the order the first unmet one is reported.</summary>
    static IEnumerable<(int Major, string Need)> VersionRules(SourceOptions options, ServerInfo server)
    {
        yield return (10, "logical replication with pgoutput needs PostgreSQL 10 or later");
        if (options.ReadOnly) yield return (13, "read.only=true needs PostgreSQL 13 or later");
        if (options.HeartbeatAction == HeartbeatAction.LogicalMessage)
            yield return (14, "heartbeat.action=logical_message needs PostgreSQL 14 or later (pgoutput sends logical messages from 14 on)");
        if (server.IsInRecovery)
            yield return (16, "the server is a standby; logical decoding on a standby needs PostgreSQL 16 or later: connect to the primary (read.only=true keeps the connector from writing there)");
    }

    /// <summary>Each requirement, met or not, with what was found and, when unmet, what to change.</summary>
    public static IReadOnlyList<ServerRequirement> Evaluate(ServerInfo server, SourceOptions options)
    {
        var versionNeed = VersionRules(options, server).FirstOrDefault(r => server.MajorVersion < r.Major).Need;
        return
        [
            versionNeed is null
                ? new("PostgreSQL version", true, $"{server.Version} (10 or later{(options.ReadOnly ? "; read-only mode needs 13 or later" : "")})")
                : new("PostgreSQL version", false, $"{versionNeed}; the server runs {server.Version}"),
            server.WalLevel == "logical"
                ? new("wal_level", true, "logical")
                : new("wal_level", false, $"'{server.WalLevel}'; logical replication needs wal_level=logical (ALTER SYSTEM SET wal_level = logical; then restart PostgreSQL)"),
            server.HasReplication
                ? new("REPLICATION attribute", true, $"role '{server.User}' may open replication connections")
                : new("REPLICATION attribute", false,
                    $"role '{server.User}' lacks it, and a replication connection needs it; as an administrator: ALTER ROLE {PgIdentifier.Quote(server.User)} WITH REPLICATION;"),
        ];
    }

    /// <summary>Refuses to start (permanently) when a requirement is unmet, naming every unmet one and what to change.</summary>
    public static void ThrowIfUnmet(ServerInfo server, SourceOptions options)
    {
        var unmet = Evaluate(server, options).Where(r => !r.Met).Select(r => $"{r.Item}: {r.Detail}").ToList();
        if (unmet.Count > 0)
            throw new SourceConnectorException(FailureKind.Permanent,
                $"PostgreSQL does not offer what this configuration needs (the check command lists the same): {string.Join(" | ", unmet)}");
    }
}
