using Avro.Generic;
using KafkaCdc.Shared.AvroFormat;
using KafkaCdc.Shared.Postgres;
using Npgsql;

namespace KafkaCdc.Tests.SinkConnector.Support;

/// <summary>
/// A table in a source database, read the way the source connector reads it: the type layer describes it
/// (<see cref="PgTypeCatalog"/>, <see cref="PgTableSchema"/>) and rows are read as PostgreSQL text output under
/// <see cref="PgSessionSettings"/> and decoded to <c>Value</c> records.
/// </summary>
internal sealed class SourceTable
{
    readonly string _connectionString;
    readonly PgAvroOptions _options;

    SourceTable(string connectionString, string database, string schema, string name, PgAvroOptions options)
    {
        _connectionString = connectionString;
        Database = database;
        SchemaName = schema;
        Name = name;
        _options = options;
    }

    /// <summary>The source database.</summary>
    public string Database { get; }

    /// <summary>The table's schema.</summary>
    public string SchemaName { get; }

    /// <summary>The table's name.</summary>
    public string Name { get; }

    /// <summary>The type layer's schemas of the table, as of the last <see cref="RefreshAsync"/>.</summary>
    public PgTableSchema Schema { get; private set; } = null!;

    /// <summary>A new database for source tables; returns its connection string with the session settings pinned.</summary>
    public static async Task<string> CreateDatabaseAsync(string prefix)
    {
        var connectionString = await TestEnvironment.CreateDatabaseAsync(prefix);
        return PgSessionSettings.Pin(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
    }

    /// <summary>Runs <paramref name="setupSql"/> (which creates the table) and describes <paramref name="schema"/>.<paramref name="name"/>.</summary>
    public static async Task<SourceTable> CreateAsync(string connectionString, string setupSql, string name, string schema = "public", PgAvroOptions? options = null)
    {
        var table = new SourceTable(connectionString, new NpgsqlConnectionStringBuilder(connectionString).Database!, schema, name, options ?? PgAvroOptions.Default);
        await table.ExecuteAsync(setupSql);
        await table.RefreshAsync();
        return table;
    }

    /// <summary>
    /// Describes the table again (after DDL), as the source does on a new Relation message: generated columns in the
    /// record property, not as fields. <paramref name="generatedColumns"/>, when given, replaces the catalog's (to play
    /// a producer describing them otherwise).
    /// </summary>
    public async Task RefreshAsync(IReadOnlyList<PgGeneratedColumn>? generatedColumns = null)
    {
        await using var connection = await OpenAsync();
        await using var oid = new NpgsqlCommand("SELECT to_regclass($1)::oid", connection);
        oid.Parameters.Add(new NpgsqlParameter { Value = PgIdentifier.Quote(SchemaName, Name) });
        var relation = (uint)(await oid.ExecuteScalarAsync())!;
        var catalog = new PgTypeCatalog();
        var columns = await catalog.DescribeRelationAsync(connection, relation, CancellationToken.None);
        generatedColumns ??= await catalog.DescribeGeneratedColumnsAsync(connection, relation, CancellationToken.None);
        Schema = PgTableSchema.Build(Database, SchemaName, Name, [.. columns.Where(c => !c.IsGenerated)], _options, generatedColumns);
    }

    /// <summary>Runs SQL against the source database.</summary>
    public async Task ExecuteAsync(string sql)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The rows matching <paramref name="where"/> (SQL, optional) as <c>Value</c> records, in <paramref name="orderBy"/> order.</summary>
    public async Task<List<GenericRecord>> RowsAsync(string? where = null, string orderBy = "1")
    {
        await using var connection = await OpenAsync();
        var columns = string.Join(", ", Schema.Columns.Select(c => PgIdentifier.Quote(c.Column.Name)));
        await using var command = new NpgsqlCommand(
            $"SELECT {columns} FROM {PgIdentifier.Quote(SchemaName, Name)} {(where is null ? "" : "WHERE " + where)} ORDER BY {orderBy}", connection)
        {
            AllResultTypesAreUnknown = true,
        };
        var rows = new List<GenericRecord>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(Schema.DecodeValue([.. Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? null : reader.GetString(i))]));
        }
        return rows;
    }

    /// <summary>The one row matching <paramref name="where"/>.</summary>
    public async Task<GenericRecord> RowAsync(string where) => (await RowsAsync(where)).Single();

    /// <summary>Every row as <c>row::text</c>, sorted, for comparing with the sink's table.</summary>
    public async Task<List<string>> RowTextsAsync()
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT t::text FROM {PgIdentifier.Quote(SchemaName, Name)} t", connection);
        var rows = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) rows.Add(reader.GetString(0));
        rows.Sort(StringComparer.Ordinal);
        return rows;
    }

    /// <summary>A copy of <paramref name="row"/> with only the key columns set: the before image of a delete under the default replica identity.</summary>
    public GenericRecord KeyOnly(GenericRecord row)
    {
        var values = new object?[Schema.Value.Count];
        foreach (var key in Schema.KeyColumns) values[key.ValueField.Pos] = row.GetValue(key.ValueField.Pos);
        return AvroSchemas.NewRecord(Schema.Value, values);
    }

    /// <summary>A copy of <paramref name="row"/> with the named field set to <paramref name="value"/>.</summary>
    public static GenericRecord With(GenericRecord row, string field, object? value)
    {
        var values = Enumerable.Range(0, row.Schema.Count).Select(row.GetValue).ToArray();
        values[row.Schema[field].Pos] = value;
        return AvroSchemas.NewRecord(row.Schema, values);
    }

    async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        return connection;
    }
}
