using Npgsql;

namespace KafkaCdc.SourceConnector.Replication;

/// <summary>What the connector needs to know about the server and its own role, read in one query.</summary>
/// <param name="VersionNum">server_version_num, e.g. 150004.</param>
/// <param name="Version">server_version, e.g. "15.4".</param>
/// <param name="WalLevel">wal_level.</param>
/// <param name="User">current_user.</param>
/// <param name="IsSuperuser">The role is a superuser.</param>
/// <param name="HasReplication">The role has the REPLICATION attribute (or is a superuser).</param>
/// <param name="CanCreateInDatabase">The role has CREATE on the database (needed to create a publication).</param>
/// <param name="MaxReplicationSlots">max_replication_slots.</param>
/// <param name="UsedReplicationSlots">Replication slots in use on the server.</param>
/// <param name="IsInRecovery">The server is a standby (read replica).</param>
internal sealed record ServerInfo(
    int VersionNum, string Version, string WalLevel, string User, bool IsSuperuser, bool HasReplication, bool CanCreateInDatabase,
    int MaxReplicationSlots, int UsedReplicationSlots, bool IsInRecovery)
{
    /// <summary>The major version (10, 11... 15).</summary>
    public int MajorVersion => VersionNum / 10000;

    /// <summary>Reads the server's facts.</summary>
    public static async Task<ServerInfo> ReadAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT current_setting('server_version_num')::int, current_setting('server_version'), current_setting('wal_level'),
                   current_user::text, r.rolsuper, r.rolsuper OR r.rolreplication,
                   has_database_privilege(current_database(), 'CREATE'),
                   current_setting('max_replication_slots')::int, (SELECT count(*)::int FROM pg_replication_slots),
                   pg_is_in_recovery()
            FROM pg_roles r WHERE r.rolname = current_user
            """;
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new ServerInfo(reader.GetInt32(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetBoolean(4),
            reader.GetBoolean(5), reader.GetBoolean(6), reader.GetInt32(7), reader.GetInt32(8), reader.GetBoolean(9));
    }
}
