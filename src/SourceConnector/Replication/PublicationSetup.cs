using KafkaCdc.Shared.Failures;
using KafkaCdc.Shared.Postgres;
using KafkaCdc.SourceConnector.Configuration;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace KafkaCdc.SourceConnector.Replication;

/// <summary>
/// Creates or extends the publication per <c>publication.autocreate.mode</c> (never drops or narrows it), and
/// returns it as the catalog then describes it.
/// </summary>
internal static class PublicationSetup
{
    /// <summary>Makes sure the publication exists and (mode <c>filtered</c>) publishes every captured table.</summary>
    /// <exception cref="SourceConnectorException">It is missing and may not be created, or creating/extending it failed for lack of privileges (permanent).</exception>
    public static async Task<PublicationInfo> EnsureAsync(
        NpgsqlConnection connection, SourceOptions options, ServerInfo server, CaptureRules rules, ILogger logger, CancellationToken cancellationToken)
    {
        var name = options.PublicationName;
        var existing = await PublicationInfo.ReadAsync(connection, name, server.VersionNum, cancellationToken);
        var with = server.VersionNum >= 130000 ? " WITH (publish_via_partition_root = true)" : "";
        switch (options.PublicationAutocreateMode)
        {
            case PublicationAutocreateMode.Disabled when existing is null:
                throw new SourceConnectorException(FailureKind.Permanent,
                    $"Publication '{name}' does not exist in database '{options.Database}' and {SourceOptions.PublicationAutocreateModeKey} is disabled. " +
                    $"Create it (as in schemas/sql/source-setup.sql): CREATE PUBLICATION {PgIdentifier.Quote(name)} FOR ALL TABLES{with};");
            case PublicationAutocreateMode.AllTables when existing is null:
                await ExecuteAsync(connection, $"CREATE PUBLICATION {PgIdentifier.Quote(name)} FOR ALL TABLES{with}",
                    "creating a publication FOR ALL TABLES needs a superuser; create it as one, or use publication.autocreate.mode=filtered", cancellationToken);
                Log.PublicationCreated(logger, name, "all tables");
                break;
            case PublicationAutocreateMode.Filtered when existing is null || !existing.AllTables:
                var wanted = await WantedTablesAsync(connection, rules, cancellationToken);
                var missing = wanted.Where(t => existing is null || !existing.Tables.Contains(t)).ToList();
                var list = string.Join(", ", missing.Select(t => t.Quoted));
                if (existing is null)
                {
                    var forTables = missing.Count == 0 ? "" : " FOR TABLE " + list;
                    await ExecuteAsync(connection, $"CREATE PUBLICATION {PgIdentifier.Quote(name)}{forTables}{with}",
                        "creating a publication needs CREATE on the database and ownership of each table it names; create it as their owner " +
                        "(see schemas/sql/source-setup.sql) and set publication.autocreate.mode=disabled", cancellationToken);
                    Log.PublicationCreated(logger, name, missing.Count == 0 ? "no tables yet" : list);
                }
                else if (missing.Count > 0)
                {
                    await ExecuteAsync(connection, $"ALTER PUBLICATION {PgIdentifier.Quote(name)} ADD TABLE {list}",
                        $"adding a table to a publication needs ownership of the table; as its owner run ALTER PUBLICATION {PgIdentifier.Quote(name)} ADD TABLE {list};",
                        cancellationToken);
                    Log.PublicationExtended(logger, name, list);
                }
                break;
        }
        return await PublicationInfo.ReadAsync(connection, name, server.VersionNum, cancellationToken)
               ?? throw new SourceConnectorException(FailureKind.Transient, $"publication '{name}' disappeared while the connector set it up");
    }

    /// <summary>
    /// The tables a filtered publication should hold: the captured ones, plus the heartbeat and signal tables that
    /// exist and that the connector's role owns (adding a table needs ownership; without them only the heartbeat
    /// table's changes are missing from the stream, which the keepalives make up for, so that is no reason to stop).
    /// </summary>
    public static async Task<IReadOnlyList<TableName>> WantedTablesAsync(NpgsqlConnection connection, CaptureRules rules, CancellationToken cancellationToken)
    {
        var tables = await SourceTables.ListAsync(connection, cancellationToken);
        return tables.Where(t => rules.IsCaptured(t.Name) || rules.IsConnectorTable(t.Name) && t.IsOwner).Select(t => t.Name).ToList();
    }

    static async Task ExecuteAsync(NpgsqlConnection connection, string sql, string privilegeHint, CancellationToken cancellationToken)
    {
        try
        {
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.InsufficientPrivilege)
        {
            throw new SourceConnectorException(FailureKind.Permanent, $"{sql} failed: {e.MessageText}. {privilegeHint}", e);
        }
    }
}
