using KafkaCdc.SourceConnector.Configuration;
using Npgsql;

namespace KafkaCdc.SourceConnector.Replication;

/// <summary>Catalog facts about the tables of the source database that the connector checks and publishes.</summary>
internal static class SourceTables
{
    /// <summary>A user table: its name, whether it is partitioned, its replica identity and primary key, and SELECT privilege.</summary>
    internal sealed record Table(TableName Name, bool IsPartitioned, char ReplicaIdentity, bool HasPrimaryKey, bool CanSelect, bool IsOwner);

    /// <summary>
    /// Every permanent, non-partition table and partitioned table outside the system schemas (partitions are
    /// captured through their root).
    /// </summary>
    public static async Task<IReadOnlyList<Table>> ListAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT n.nspname::text, c.relname::text, c.relkind = 'p', c.relreplident::text,
                   EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisprimary),
                   has_table_privilege(c.oid, 'SELECT'), pg_has_role(c.relowner, 'USAGE')
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND c.relpersistence = 'p'
              AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_toast%' AND n.nspname NOT LIKE 'pg\_temp%'
            ORDER BY 1, 2
            """;
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var tables = new List<Table>();
        while (await reader.ReadAsync(cancellationToken))
        {
            tables.Add(new Table(new TableName(reader.GetString(0), reader.GetString(1)), reader.GetBoolean(2), reader.GetString(3)[0],
                reader.GetBoolean(4), reader.GetBoolean(5), reader.GetBoolean(6)));
        }
        return tables;
    }
}
