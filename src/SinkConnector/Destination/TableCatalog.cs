using KafkaCdc.Shared.Postgres;
using Npgsql;

namespace KafkaCdc.SinkConnector.Destination;

/// <summary>
/// Reads destination tables from the catalog: columns with the type layer's type names (<see cref="PgTypeCatalog"/>,
/// the same form as <c>kafkacdc.type</c>), NOT NULL, defaults, the primary key, and whether TRUNCATE is allowed.
/// </summary>
public sealed class TableCatalog
{
    const string RelationSql = """
        SELECT c.oid, pg_catalog.has_table_privilege(c.oid, 'TRUNCATE'),
               a.attname::text, (a.atthasdef OR a.attidentity <> '' OR a.attgenerated <> ''), a.attgenerated <> ''
        FROM pg_catalog.pg_class c
        JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
        WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind IN ('r', 'p')
        """;

    readonly PgTypeCatalog _types = new();

    /// <summary>The table <paramref name="schema"/>.<paramref name="table"/>, or null when it does not exist.</summary>
    public async Task<DestinationTable?> DescribeAsync(NpgsqlConnection connection, string schema, string table, CancellationToken cancellationToken)
    {
        uint? oid = null;
        var canTruncate = false;
        var defaults = new Dictionary<string, bool>(StringComparer.Ordinal);
        var generated = new HashSet<string>(StringComparer.Ordinal);
        await using (var command = new NpgsqlCommand(RelationSql, connection))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = schema });
            command.Parameters.Add(new NpgsqlParameter { Value = table });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                oid = reader.GetFieldValue<uint>(0);
                canTruncate = reader.GetBoolean(1);
                if (reader.IsDBNull(2)) continue;
                defaults[reader.GetString(2)] = reader.GetBoolean(3);
                if (reader.GetBoolean(4)) generated.Add(reader.GetString(2));
            }
        }
        if (oid is null) return null;

        var columns = await _types.DescribeRelationAsync(connection, oid.Value, cancellationToken);
        return new DestinationTable(schema, table,
            [.. columns.Select(c => new DestinationColumn(c.Name, c.Type.FormattedType, c.IsNotNull, defaults.GetValueOrDefault(c.Name), c.KeyPosition,
                generated.Contains(c.Name)))],
            canTruncate);
    }

    /// <summary>Forgets cached type descriptions.</summary>
    public void Invalidate() => _types.Invalidate();
}
