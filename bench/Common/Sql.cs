using Npgsql;

namespace KafkaCdc.Bench.Common;

/// <summary>The few statements the benchmarks send outside the connectors, each on a connection of its own.</summary>
public static class Sql
{
    /// <summary>Opens a connection to <paramref name="connectionString"/>.</summary>
    public static async Task<NpgsqlConnection> OpenAsync(string connectionString)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        return connection;
    }

    /// <summary>Runs <paramref name="sql"/> (any number of statements, no parameters, no timeout).</summary>
    public static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = await OpenAsync(connectionString);
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Rows of <paramref name="table"/> in the database of <paramref name="connectionString"/>.</summary>
    public static async Task<long> CountAsync(string connectionString, string table)
    {
        await using var connection = await OpenAsync(connectionString);
        await using var command = new NpgsqlCommand($"SELECT count(*) FROM {table}", connection) { CommandTimeout = 0 };
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>
    /// The rows of <paramref name="table"/> and a checksum of their content: the md5 of every row's text form
    /// (<c>t::text</c>, all columns in order), in key order (<paramref name="key"/>), concatenated and hashed again.
    /// Equal for two tables of the same definition exactly when they hold the same rows.
    /// </summary>
    public static async Task<TableContent> ContentAsync(string connectionString, string table, string key = "id")
    {
        await using var connection = await OpenAsync(connectionString);
        await using var command = new NpgsqlCommand($"SELECT count(*), coalesce(md5(string_agg(md5(t::text), '' ORDER BY t.{key})), '') FROM {table} t", connection)
        {
            CommandTimeout = 0,
        };
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return new TableContent(reader.GetInt64(0), reader.GetString(1));
    }
}
