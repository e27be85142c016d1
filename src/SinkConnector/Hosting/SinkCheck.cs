using System.Text.RegularExpressions;
using Confluent.Kafka;
using KafkaCdc.Shared.Kafka;
using KafkaCdc.Shared.Postgres;
using KafkaCdc.Shared.SchemaRegistry;
using KafkaCdc.Shared.Ssh;
using KafkaCdc.SinkConnector.Configuration;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace KafkaCdc.SinkConnector.Hosting;

/// <summary>
/// <c>check</c>: verifies every prerequisite without writing anything and prints one <c>PASS</c>/<c>FAIL</c> line per
/// item: the SSH tunnel opens (with <c>ssh.enabled=true</c>: the server, its verified host key and the forward are
/// printed below its line); the destination accepts the connection, and its TLS (mode, what was verified, protocol,
/// client certificate); the schema exists with the privileges of
/// <c>schemas/sql/sink-setup.sql</c> (USAGE and CREATE on it; SELECT, INSERT, UPDATE, DELETE on its existing tables);
/// temporary tables are allowed (upsert staging); with <c>delete.mode=soft</c>, the existing tables have the soft-delete
/// columns with their types, or the sink can add them; whether a connection pooler is in front (<see cref="PoolerProbe"/>),
/// which must carry transactions of several statements; the topics exist (or some match <c>topics.regex</c>); the schema
/// registry answers.
/// </summary>
public static class SinkCheck
{
    static readonly string[] s_tablePrivileges = ["SELECT", "INSERT", "UPDATE", "DELETE"];

    /// <summary>Runs every check; true when all pass.</summary>
    public static async Task<bool> RunAsync(SinkOptions options, TextWriter output, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        var passed = true;
        async Task Report(string item, Func<Task<string?>> check) => await ReportFinding(item, async () => (await check(), ""));
        // A check that also says what it found (after the item, when it passes).
        async Task ReportFinding(string item, Func<Task<(string? Problem, string Detail)>> check)
        {
            string? problem;
            var detail = "";
            try
            {
                (problem, detail) = await check();
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                problem = e.Message;
            }
            passed &= problem is null;
            await output.WriteLineAsync(problem is not null ? $"FAIL {item}: {problem}" : detail.Length == 0 ? $"PASS {item}" : $"PASS {item}: {detail}");
        }

        NpgsqlConnection? connection = null;
        using var tunnel = options.Connection.Tunnel;
        try
        {
            if (tunnel is not null)
            {
                SshTunnelInfo? opened = null;
                await Report($"SSH tunnel through {tunnel.Options} to {tunnel.Destination}", async () =>
                {
                    opened = await tunnel.EnsureOpenAsync(loggerFactory.CreateLogger("KafkaCdc.SinkConnector.Check"), cancellationToken);
                    return null;
                });
                if (opened is not null) await output.WriteLineAsync($"     {opened.Describe()}");
            }
            Exception? connectFailure = null;
            await Report($"connect to {options.ConnectionDisplay}", async () =>
            {
                if (tunnel is { IsOpen: false }) return "not checked: no SSH tunnel";
                var builder = new NpgsqlConnectionStringBuilder(options.ConnectionString) { Timeout = 10, Pooling = false };
                connection = new NpgsqlConnection(builder.ConnectionString);
                try
                {
                    await connection.OpenAsync(cancellationToken);
                }
                catch (NpgsqlException e) when (PgTlsDiagnosis.IsTlsFailure(e))
                {
                    connectFailure = e;
                    return "the TLS handshake failed (see TLS)";
                }
                return null;
            });
            if (connectFailure is not null)
            {
                passed = false;
                await output.WriteLineAsync($"FAIL TLS: {await PgTlsDiagnosis.DescribeAsync(connectFailure, options.Connection, cancellationToken)}");
            }
            else if (connection is { State: System.Data.ConnectionState.Open })
            {
                var (tlsPassed, tls) = await PgTlsStatus.DescribeAsync(connection, options.Connection, cancellationToken);
                passed &= tlsPassed;
                await output.WriteLineAsync($"{(tlsPassed ? "PASS" : "FAIL")} TLS: {tls}");
            }
            var schema = options.SchemaName;
            await Report($"USAGE and CREATE on schema \"{schema}\"", () => Database(connection, async c => await SchemaProblemAsync(c, schema, cancellationToken)));
            await Report($"SELECT, INSERT, UPDATE, DELETE on the tables of schema \"{schema}\"", () => Database(connection, async c => await TablesProblemAsync(c, schema, cancellationToken)));
            await Report("temporary tables (upsert staging)", () => Database(connection, async c =>
            {
                await using var command = new NpgsqlCommand("SELECT pg_catalog.has_database_privilege(pg_catalog.current_database(), 'TEMP')", c);
                return (bool)(await command.ExecuteScalarAsync(cancellationToken))! ? null : "the user lacks TEMP on the database (GRANT TEMP ON DATABASE ... TO ...)";
            }));
            if (options.DeleteMode == DeleteMode.Soft)
            {
                var (flag, time) = options.SoftDeleteColumns;
                await Report($"soft-delete columns \"{flag}\" and \"{time}\" in the tables of schema \"{schema}\" (delete.mode=soft)",
                    () => Database(connection, async c => await SoftDeleteProblemAsync(c, options, cancellationToken)));
            }
            // Last of the database checks: a pooler in statement mode closes the connection.
            await ReportFinding("connection pooler", () => connection is { State: System.Data.ConnectionState.Open } c
                ? PoolerProbe.DescribeAsync(c, cancellationToken)
                : Task.FromResult<(string?, string)>(("not checked: no connection", "")));
        }
        finally
        {
            if (connection is not null) await connection.DisposeAsync();
        }

        await Report(options.TopicsRegex is { } regex ? $"topics matching {regex}" : $"topics {string.Join(", ", options.Topics)}",
            () => Task.Run(() => TopicsProblem(options, loggerFactory), cancellationToken));
        await Report($"schema registry {string.Join(", ", options.SchemaRegistry.Urls)}", async () =>
        {
            using var registry = options.SchemaRegistry.CreateClient();
            try
            {
                await registry.GetAllSubjectsAsync().WaitAsync(cancellationToken);
                return null;
            }
            catch (HttpRequestException e)
            {
                return RegistryFailures.Describe(e);
            }
        });
        return passed;
    }

    static Task<string?> Database(NpgsqlConnection? connection, Func<NpgsqlConnection, Task<string?>> check) =>
        connection is { State: System.Data.ConnectionState.Open } ? check(connection) : Task.FromResult<string?>("not checked: no connection");

    static async Task<string?> SchemaProblemAsync(NpgsqlConnection connection, string schema, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            SELECT pg_catalog.has_schema_privilege(n.oid, 'USAGE'), pg_catalog.has_schema_privilege(n.oid, 'CREATE')
            FROM pg_catalog.pg_namespace n WHERE n.nspname = $1
            """, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = schema });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) return $"schema \"{schema}\" does not exist (create it as in schemas/sql/sink-setup.sql)";
        var missing = new List<string>();
        if (!reader.GetBoolean(0)) missing.Add("USAGE");
        if (!reader.GetBoolean(1)) missing.Add("CREATE");
        return missing.Count == 0 ? null : $"the user lacks {string.Join(" and ", missing)} on schema \"{schema}\" (GRANT USAGE, CREATE ON SCHEMA ... TO ...)";
    }

    static async Task<string?> TablesProblemAsync(NpgsqlConnection connection, string schema, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            SELECT c.relname::text, array_remove(ARRAY[
                CASE WHEN NOT pg_catalog.has_table_privilege(c.oid, 'SELECT') THEN 'SELECT' END,
                CASE WHEN NOT pg_catalog.has_table_privilege(c.oid, 'INSERT') THEN 'INSERT' END,
                CASE WHEN NOT pg_catalog.has_table_privilege(c.oid, 'UPDATE') THEN 'UPDATE' END,
                CASE WHEN NOT pg_catalog.has_table_privilege(c.oid, 'DELETE') THEN 'DELETE' END], NULL)
            FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = $1 AND c.relkind IN ('r', 'p')
            ORDER BY 1
            """, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = schema });
        var problems = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var missing = reader.GetFieldValue<string[]>(1);
            if (missing.Length > 0) problems.Add($"\"{reader.GetString(0)}\" lacks {string.Join(", ", missing)}");
        }
        if (problems.Count == 0) return null;
        return $"{string.Join("; ", problems.Take(10))}{(problems.Count > 10 ? $" and {problems.Count - 10} more" : "")} " +
               $"(GRANT {string.Join(", ", s_tablePrivileges)} ON ALL TABLES IN SCHEMA ... TO ...)";
    }

    /// <summary>Tables whose soft-delete columns have another type, or which lack them and cannot get them (<c>schema.evolution=none</c>, another owner).</summary>
    static async Task<string?> SoftDeleteProblemAsync(NpgsqlConnection connection, SinkOptions options, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            SELECT c.relname::text,
                (SELECT pg_catalog.format_type(a.atttypid, a.atttypmod) FROM pg_catalog.pg_attribute a WHERE a.attrelid = c.oid AND a.attname = $2 AND NOT a.attisdropped),
                (SELECT pg_catalog.format_type(a.atttypid, a.atttypmod) FROM pg_catalog.pg_attribute a WHERE a.attrelid = c.oid AND a.attname = $3 AND NOT a.attisdropped),
                pg_catalog.pg_has_role(c.relowner, 'USAGE')
            FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND c.relname NOT IN ('kafkacdc_sink_offsets', 'kafkacdc_sink_truncates', 'kafkacdc_sink_snapshots')
            ORDER BY 1
            """, connection);
        var (flag, time) = options.SoftDeleteColumns;
        foreach (var value in new[] { options.SchemaName, flag, time }) command.Parameters.Add(new NpgsqlParameter { Value = value });
        var problems = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var table = reader.GetString(0);
            string? flagType = reader.IsDBNull(1) ? null : reader.GetString(1), timeType = reader.IsDBNull(2) ? null : reader.GetString(2);
            if (flagType is not (null or "boolean")) problems.Add($"\"{table}\".\"{flag}\" is {flagType}, not boolean");
            if (timeType is not (null or "timestamp with time zone")) problems.Add($"\"{table}\".\"{time}\" is {timeType}, not timestamp with time zone");
            if (flagType is not null && timeType is not null) continue;
            if (options.SchemaEvolution == SchemaEvolutionMode.None) problems.Add($"\"{table}\" lacks them, and schema.evolution=none does not add them");
            else if (!reader.GetBoolean(3)) problems.Add($"\"{table}\" lacks them, and only its owner can add them");
        }
        return problems.Count == 0 ? null : string.Join("; ", problems.Take(10)) + (problems.Count > 10 ? $" and {problems.Count - 10} more" : "");
    }

    static string? TopicsProblem(SinkOptions options, ILoggerFactory loggerFactory)
    {
        var config = options.Kafka.CreateAdminClientConfig();
        config.Set("log_level", "3"); // errors only: consumer-only kafka.* keys would each draw a warning from an admin client
        using var admin = new AdminClientBuilder(config).SetLogger(loggerFactory.CreateLogger("KafkaCdc.SinkConnector.Check")).Build();
        var topics = admin.GetMetadata(TimeSpan.FromSeconds(15)).Topics
            .Where(t => t.Error.Code == ErrorCode.NoError).Select(t => t.Topic).ToHashSet(StringComparer.Ordinal);
        if (options.TopicsRegex is { } regex)
        {
            var pattern = new Regex(SinkOptions.Anchored(regex));
            return topics.Any(pattern.IsMatch) ? null : $"no topic matches {regex} (yet)";
        }
        var missing = options.Topics.Where(t => !topics.Contains(t)).ToList();
        return missing.Count == 0 ? null : $"missing: {string.Join(", ", missing)}";
    }
}
