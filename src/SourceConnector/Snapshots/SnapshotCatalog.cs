using KafkaCdc.Shared.Postgres;
using KafkaCdc.SourceConnector.ChangeEvents;
using KafkaCdc.SourceConnector.Configuration;
using KafkaCdc.SourceConnector.Status;
using Npgsql;

namespace KafkaCdc.SourceConnector.Snapshots;

/// <summary>
/// Describes the tables a snapshot reads, on a connection inside the snapshot's transaction: their published columns
/// (not dropped, not generated, within the publication's column list) and their generated columns (described in the
/// schema, as the stream's Relation messages are), their relations and sizes, the row filter.
/// </summary>
internal sealed class SnapshotCatalog(
    string database, string publication, int serverVersionNum, TopicAssignments topics, PgTypeCatalog types, PgAvroOptions avroOptions, SourceStatus status)
{
    /// <summary>Describes <paramref name="tables"/> (skipping those that no longer exist).</summary>
    public async Task<IReadOnlyList<SnapshotTable>> DescribeAsync(NpgsqlConnection connection, IEnumerable<TableName> tables, CancellationToken cancellationToken)
    {
        var result = new List<SnapshotTable>();
        foreach (var name in tables)
        {
            if (await DescribeAsync(connection, name, cancellationToken) is { } table) result.Add(table);
        }
        return result;
    }

    async Task<SnapshotTable?> DescribeAsync(NpgsqlConnection connection, TableName name, CancellationToken cancellationToken)
    {
        var generated = serverVersionNum >= 120000 ? "AND a.attgenerated = ''" : "";
        var columnList = serverVersionNum >= 150000
            ? "(SELECT pt.attnames FROM pg_publication_tables pt WHERE pt.pubname = $2 AND pt.schemaname = n.nspname AND pt.tablename = c.relname)"
            : "NULL::name[]";
        var rowFilter = serverVersionNum >= 150000
            ? "(SELECT pt.rowfilter FROM pg_publication_tables pt WHERE pt.pubname = $2 AND pt.schemaname = n.nspname AND pt.tablename = c.relname)"
            : "NULL::text";
        var tableSql = $"""
            SELECT c.oid, c.relkind::text, {columnList}::text[], {rowFilter}
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.oid = to_regclass($1)
            """;
        var columnSql = $"""
            SELECT a.attname::text, a.atttypid, a.atttypmod
            FROM pg_attribute a
            WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped {generated}
            ORDER BY a.attnum
            """;
        uint oid;
        char kind;
        string[]? published;
        string? filter;
        var columns = new List<PgRelationColumn>();
        await using (var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand(tableSql) { Parameters = { new() { Value = name.Quoted }, new() { Value = publication } } },
                new NpgsqlBatchCommand(columnSql) { Parameters = { new() { Value = name.Quoted } } },
            },
        })
        await using (var reader = await batch.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken)) return null;
            oid = reader.GetFieldValue<uint>(0);
            kind = reader.GetString(1)[0];
            published = reader.IsDBNull(2) ? null : reader.GetFieldValue<string[]>(2);
            filter = reader.IsDBNull(3) ? null : reader.GetString(3);
            await reader.NextResultAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var column = reader.GetString(0);
                if (published is null || published.Contains(column, StringComparer.Ordinal))
                    columns.Add(new PgRelationColumn(column, reader.GetFieldValue<uint>(1), reader.GetInt32(2)));
            }
        }

        var described = await types.DescribeColumnsAsync(connection, oid, columns, cancellationToken);
        var generatedColumns = serverVersionNum >= 120000 ? await types.DescribeGeneratedColumnsAsync(connection, oid, cancellationToken) : [];
        var schema = PgTableSchema.Build(database, name.Schema, name.Name, described, avroOptions, generatedColumns);
        var table = new CapturedTable(name, topics.Assign(name), schema, status.CountersFor(name.ToString()));
        var selectList = string.Join(", ", columns.Select(c => PgIdentifier.Quote(c.Name)));
        var sources = await SourcesAsync(connection, oid, kind == 'p', cancellationToken);
        return new SnapshotTable(table, oid, selectList, sources, filter);
    }

    /// <summary>The table itself, or the leaf partitions of a partitioned table, with their sizes in pages.</summary>
    async Task<IReadOnlyList<SnapshotSource>> SourcesAsync(NpgsqlConnection connection, uint oid, bool partitioned, CancellationToken cancellationToken)
    {
        var relations = partitioned && serverVersionNum >= 120000
            ? "SELECT relid FROM pg_partition_tree($1::regclass) WHERE isleaf"
            : "SELECT $1::oid";
        var sql = $"""
            SELECT c.oid, quote_ident(n.nspname) || '.' || quote_ident(c.relname),
                   pg_relation_size(c.oid) / current_setting('block_size')::bigint, greatest(c.reltuples, 0)::bigint
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.oid IN ({relations}) AND c.relkind IN ('r', 'p', 'm')
            ORDER BY c.oid
            """;
        await using var command = new NpgsqlCommand(sql, connection) { Parameters = { new() { Value = oid, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Oid } } };
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var sources = new List<SnapshotSource>();
        while (await reader.ReadAsync(cancellationToken))
            sources.Add(new SnapshotSource(reader.GetFieldValue<uint>(0), reader.GetString(1), reader.GetInt64(2), reader.GetInt64(3)));
        return sources;
    }
}
