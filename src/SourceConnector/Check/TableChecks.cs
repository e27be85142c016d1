using KafkaCdc.Shared.Postgres;
using KafkaCdc.SourceConnector.Configuration;
using KafkaCdc.SourceConnector.Replication;
using Npgsql;

namespace KafkaCdc.SourceConnector.Check;

/// <summary>
/// The <c>check</c> items about the publication and the tables: coverage, partition roots, replica identity, whether the
/// destination can reproduce every change (old row images, published operations), privileges, heartbeat and signal
/// tables, topic names.
/// </summary>
internal static class TableChecks
{
    public static async Task AddAsync(
        SourceOptions options, ServerInfo server, CaptureRules rules, IReadOnlyList<SourceTables.Table> tables, PublicationInfo? publication,
        NpgsqlConnection connection, List<CheckResult> results, CancellationToken cancellationToken)
    {
        var mode = options.PublicationAutocreateMode;
        var name = options.PublicationName;
        var canCreate = mode switch
        {
            PublicationAutocreateMode.AllTables => server.IsSuperuser,
            PublicationAutocreateMode.Filtered => server.CanCreateInDatabase,
            _ => false,
        };
        results.Add(publication is not null
            ? new("publication", true, $"'{name}' exists ({(publication.AllTables ? "FOR ALL TABLES" : $"{publication.Tables.Count} table(s)")}; publishes {publication.Operations})")
            : canCreate
                ? new("publication", true, $"'{name}' does not exist yet; the connector creates it on start ({ConfigName(mode)})")
                : new("publication", false, $"'{name}' does not exist" + (mode == PublicationAutocreateMode.Disabled
                    ? $" and {SourceOptions.PublicationAutocreateModeKey} is disabled: create it as in schemas/sql/source-setup.sql"
                    : $" and role '{server.User}' may not create it ({(mode == PublicationAutocreateMode.AllTables ? "FOR ALL TABLES needs a superuser" : "needs CREATE on the database")}): create it as in schemas/sql/source-setup.sql")));

        // With no filter, "every published table" is captured: only filtered mode adds tables to the publication.
        var everyPublished = rules.Filter.IncludesEverything && mode != PublicationAutocreateMode.Filtered;
        var captured = tables.Where(t => rules.IsCaptured(t.Name) && (!everyPublished || Publishes(publication, t.Name))).ToList();
        var missingNamed = rules.Filter.Tables.Where(n => tables.All(t => t.Name != n)).Select(n => n.Quoted).ToList();
        var unpublished = captured.Where(t => !Publishes(publication, t.Name)).ToList();
        var unaddable = mode == PublicationAutocreateMode.Filtered ? unpublished.Where(t => !t.IsOwner).ToList() : unpublished;
        var coverage = (missingNamed.Count, unaddable.Count) switch
        {
            ( > 0, _) => new CheckResult("captured tables", false, $"table.include.list/file names tables that do not exist: {string.Join(", ", missingNamed)}"),
            (_, > 0) => new CheckResult("captured tables", false,
                $"publication '{name}' lacks {string.Join(", ", unaddable.Select(t => t.Name.Quoted))}; as the tables' owner run " +
                $"ALTER PUBLICATION {PgIdentifier.Quote(name)} ADD TABLE {string.Join(", ", unaddable.Select(t => t.Name.Quoted))};"),
            _ when captured.Count == 0 => new CheckResult("captured tables", true, "no table is captured yet (the filter matches none); tables created later are captured if published"),
            _ => new CheckResult("captured tables", true, $"{captured.Count} table(s) captured{(unpublished.Count > 0 ? $", {unpublished.Count} added to the publication on start" : "")}: " +
                                                           string.Join(", ", captured.Take(10).Select(t => t.Name.ToString())) + (captured.Count > 10 ? ", ..." : "")),
        };
        results.Add(coverage);

        var partitioned = captured.Where(t => t.IsPartitioned).Select(t => t.Name.Quoted).ToList();
        if (partitioned.Count > 0)
        {
            var viaRoot = publication?.ViaRoot ?? server.VersionNum >= 130000;
            results.Add(new("partitioned tables", viaRoot, viaRoot
                ? $"{string.Join(", ", partitioned)} published via the partition root"
                : $"{string.Join(", ", partitioned)} are partitioned but publication '{name}' does not publish via the root, so their changes would arrive under " +
                  $"the partitions' names: ALTER PUBLICATION {PgIdentifier.Quote(name)} SET (publish_via_partition_root = true);"));
        }

        var noIdentity = captured.Where(t => !t.HasPrimaryKey && t.ReplicaIdentity is 'd' or 'n').Select(t => t.Name.Quoted).ToList();
        results.Add(new("replica identity", noIdentity.Count == 0, noIdentity.Count == 0
            ? "every captured table has a primary key or REPLICA IDENTITY FULL/USING INDEX"
            : $"{string.Join(", ", noIdentity)} have no primary key and no replica identity, so PostgreSQL refuses their UPDATEs and DELETEs once they are " +
              $"published: {string.Join(" ", noIdentity.Select(t => $"ALTER TABLE {t} REPLICA IDENTITY FULL;"))}"));

        var indexIdentity = captured.Where(t => t.ReplicaIdentity == 'i').Select(t => t.Name.Quoted).ToList();
        results.Add(new("old row images", indexIdentity.Count == 0, indexIdentity.Count == 0
            ? "every captured table sends the old row's primary key (REPLICA IDENTITY DEFAULT) or the whole old row (FULL)"
            : $"{string.Join(", ", indexIdentity)} use REPLICA IDENTITY USING INDEX: an UPDATE that changes the primary key, and every UPDATE or DELETE " +
              "of a table without one, sends only the index's columns of the old row, which the destination cannot match to its row, so it would keep " +
              $"rows the source no longer has: {string.Join(" ", indexIdentity.Select(t => $"ALTER TABLE {t} REPLICA IDENTITY DEFAULT; -- with a primary key, else FULL"))}"));

        if (publication is not null)
        {
            var published = publication.Operations.Split(", ", StringSplitOptions.RemoveEmptyEntries);
            var unpublishedOperations = new[] { "insert", "update", "delete", "truncate" }.Except(published).ToList();
            results.Add(new("published operations", unpublishedOperations.Count == 0, unpublishedOperations.Count == 0
                ? $"publication '{name}' publishes every operation ({publication.Operations})"
                : $"publication '{name}' does not publish {string.Join(", ", unpublishedOperations)}, so the destination would keep rows those operations " +
                  $"change or remove at the source: ALTER PUBLICATION {PgIdentifier.Quote(name)} SET (publish = 'insert, update, delete, truncate');"));
        }

        var unreadable = captured.Where(t => !t.CanSelect).Select(t => t.Name.Quoted).ToList();
        results.Add(new("SELECT privilege", unreadable.Count == 0, unreadable.Count == 0
            ? "every captured table is readable (snapshots need it)"
            : $"role '{server.User}' cannot read {string.Join(", ", unreadable)}: GRANT SELECT ON {string.Join(", ", unreadable)} TO {PgIdentifier.Quote(server.User)};"));

        results.Add(await ConnectorTableAsync("heartbeat table", options.HeartbeatTable, options.HeartbeatAction == HeartbeatAction.Table,
            options.HeartbeatAction == HeartbeatAction.Table ? "heartbeat.action=table writes to it"
            : options.ReadOnly ? "read-only: a pg_cron job on the primary may update it (see README)" : $"heartbeat.action={ConfigName(options.HeartbeatAction)}",
            options, publication, canCreate || publication is not null && !publication.AllTables && mode == PublicationAutocreateMode.Filtered, connection, cancellationToken));
        if (options.HeartbeatAction == HeartbeatAction.LogicalMessage)
        {
            await using var command = new NpgsqlCommand(
                "SELECT has_function_privilege('pg_logical_emit_message(boolean, text, text)', 'EXECUTE')", connection);
            var allowed = server.MajorVersion >= 14 && (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
            results.Add(new("heartbeat action", allowed, allowed ? "logical_message: pg_logical_emit_message is available"
                : server.MajorVersion < 14 ? $"logical_message needs PostgreSQL 14 or later (the server runs {server.Version}); use table or none"
                : $"role '{server.User}' may not execute pg_logical_emit_message; grant it, or use heartbeat.action=table"));
        }
        if (!options.ReadOnly)
        {
            results.Add(await ConnectorTableAsync("signal table", options.SignalTable, true, "used for incremental snapshots",
                options, publication, canCreate || publication is not null && !publication.AllTables && mode == PublicationAutocreateMode.Filtered, connection, cancellationToken));
        }

        var topics = new TopicAssignments(options.Database, options.TopicNamer);
        var collisions = new List<string>();
        foreach (var table in captured)
        {
            try
            {
                topics.Assign(table.Name);
            }
            catch (SourceConnectorException e)
            {
                collisions.Add(e.Message);
            }
        }
        results.Add(new("topic names", collisions.Count == 0, collisions.Count == 0
            ? $"every captured table has its own topic ({options.TopicNamer.Format})"
            : string.Join(" ", collisions)));
    }

    /// <summary>The heartbeat or signal table: exists, is readable and writable, and is published.</summary>
    static async Task<CheckResult> ConnectorTableAsync(
        string item, TableName table, bool required, string use, SourceOptions options, PublicationInfo? publication, bool canBeAdded,
        NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            SELECT has_table_privilege(c.oid, 'SELECT'), has_table_privilege(c.oid, 'INSERT'), has_table_privilege(c.oid, 'UPDATE'),
                   pg_has_role(c.relowner, 'USAGE')
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = $2
            """, connection) { Parameters = { new() { Value = table.Schema }, new() { Value = table.Name } } };
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return required
                ? new(item, false, $"{table.Quoted} does not exist ({use}): create it as in schemas/sql/source-setup.sql")
                : new(item, true, $"{table.Quoted} does not exist; not needed ({use})");
        }
        var (select, insert, update, owner) = (reader.GetBoolean(0), reader.GetBoolean(1), reader.GetBoolean(2), reader.GetBoolean(3));
        canBeAdded &= owner;
        if (required && !(select && insert && update))
            return new(item, false, $"{table.Quoted} exists but role '{options.User}' lacks SELECT, INSERT or UPDATE on it: GRANT SELECT, INSERT, UPDATE, DELETE ON {table.Quoted} TO {PgIdentifier.Quote(options.User)};");
        if (!Publishes(publication, table) && !canBeAdded)
            return new(item, false, $"{table.Quoted} is not in publication '{options.PublicationName}', so its changes do not reach the connector: " +
                                    $"ALTER PUBLICATION {PgIdentifier.Quote(options.PublicationName)} ADD TABLE {table.Quoted};");
        return new(item, true, $"{table.Quoted} is reachable and {(Publishes(publication, table) ? "published" : "added to the publication on start")} ({use})");
    }

    static bool Publishes(PublicationInfo? publication, TableName table) =>
        publication is not null && (publication.AllTables || publication.Tables.Contains(table));

    static string ConfigName<T>(T value) where T : struct, Enum => Shared.Configuration.ConfigReader.SnakeCase(value.ToString());
}
