using KafkaCdc.SourceConnector.Configuration;
using Npgsql;

namespace KafkaCdc.SourceConnector.Replication;

/// <summary>A publication as the catalog describes it.</summary>
/// <param name="Name">The publication name.</param>
/// <param name="AllTables">Created <c>FOR ALL TABLES</c>.</param>
/// <param name="ViaRoot"><c>publish_via_partition_root</c> (PostgreSQL 13 and later; false before).</param>
/// <param name="Operations">The published operations (<c>insert, update, delete, truncate</c>).</param>
/// <param name="Tables">The tables it publishes, as <c>pg_publication_tables</c> lists them (roots when via root).</param>
internal sealed record PublicationInfo(string Name, bool AllTables, bool ViaRoot, string Operations, IReadOnlyList<TableName> Tables)
{
    /// <summary>The publication named <paramref name="name"/>, or null when there is none.</summary>
    public static async Task<PublicationInfo?> ReadAsync(NpgsqlConnection connection, string name, int serverVersionNum, CancellationToken cancellationToken)
    {
        var viaRoot = serverVersionNum >= 130000 ? "pubviaroot" : "false";
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand($"""
                    SELECT puballtables, {viaRoot},
                           concat_ws(', ', CASE WHEN pubinsert THEN 'insert' END, CASE WHEN pubupdate THEN 'update' END,
                                           CASE WHEN pubdelete THEN 'delete' END, CASE WHEN pubtruncate THEN 'truncate' END)
                    FROM pg_publication WHERE pubname = $1
                    """) { Parameters = { new() { Value = name } } },
                new NpgsqlBatchCommand("SELECT schemaname::text, tablename::text FROM pg_publication_tables WHERE pubname = $1 ORDER BY 1, 2")
                    { Parameters = { new() { Value = name } } },
            },
        };
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) return null;
        var allTables = reader.GetBoolean(0);
        var root = reader.GetBoolean(1);
        var operations = reader.GetString(2);
        await reader.NextResultAsync(cancellationToken);
        var tables = new List<TableName>();
        while (await reader.ReadAsync(cancellationToken)) tables.Add(new TableName(reader.GetString(0), reader.GetString(1)));
        return new PublicationInfo(name, allTables, root, operations, tables);
    }
}
