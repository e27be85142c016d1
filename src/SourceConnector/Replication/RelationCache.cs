using KafkaCdc.Shared.Failures;
using KafkaCdc.Shared.Postgres;
using KafkaCdc.SourceConnector.ChangeEvents;
using KafkaCdc.SourceConnector.Configuration;
using KafkaCdc.SourceConnector.Status;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace KafkaCdc.SourceConnector.Replication;

/// <summary>
/// The relations of one replication session, by relation id: pgoutput sends a Relation message before the first
/// change of a relation and again after each change of its definition; each captured one becomes a
/// <see cref="CapturedTable"/> version built through the type layer (catalog description, schemas, decoders).
/// </summary>
/// <remarks>
/// A Relation message whose columns produce the same schemas as the current version keeps that version, so the
/// publisher registers nothing new. Used by the reader only (not thread-safe).
/// </remarks>
internal sealed class RelationCache(
    string database, CaptureRules rules, TopicAssignments topics, PgTypeCatalog catalog, PgAvroOptions avroOptions,
    SourceStatus status, ILogger logger)
{
    static readonly TimeSpan s_visibilityLimit = TimeSpan.FromSeconds(5);
    readonly Dictionary<uint, (TableName Name, CapturedTable? Table)> _relations = [];
    readonly HashSet<(TableName, string)> _warned = [];

    /// <summary>
    /// Records a Relation message: for a captured relation, describes its columns on <paramref name="connection"/> and
    /// builds the table version that the following changes use. Must be called before the next message is read.
    /// </summary>
    /// <param name="relation">The message.</param>
    /// <param name="transactionId">The xid of the transaction the message came in (null outside one): the catalog is read once it is visible.</param>
    /// <param name="connection">An ordinary connection to the database, not in a transaction.</param>
    /// <param name="cancellationToken">Cancels the catalog queries.</param>
    /// <returns>The new version of a captured table, or null when the relation is not captured or its schemas did not change.</returns>
    public async Task<CapturedTable?> OnRelationAsync(RelationDescription relation, long? transactionId, NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var name = new TableName(relation.Namespace.Length == 0 ? "pg_catalog" : relation.Namespace, relation.Name);
        var columns = relation.Columns;
        var relationId = relation.RelationId;
        if (!rules.IsCaptured(name))
        {
            _relations[relationId] = (name, null);
            return null;
        }

        if (transactionId is { } xid && !await TransactionVisibility.WaitAsync(connection, xid, s_visibilityLimit, cancellationToken))
            Log.CatalogNotYetVisible(logger, name.ToString(), xid, s_visibilityLimit.TotalSeconds);
        var described = await catalog.DescribeColumnsAsync(connection, relationId, columns, cancellationToken);
        // pgoutput leaves generated columns out of the message; the catalog has them (a new Relation message follows any
        // ALTER TABLE, so adding or dropping one alone gives a new schema version).
        var generated = await catalog.DescribeGeneratedColumnsAsync(connection, relationId, cancellationToken);
        var schema = PgTableSchema.Build(database, name.Schema, name.Name, described, avroOptions, generated);
        foreach (var column in schema.Columns)
        {
            if (column.Decoder.FallbackWarning is { } warning && _warned.Add((name, column.Column.Name)))
                Log.TypeFallback(logger, name.ToString(), warning);
        }

        if (_relations.TryGetValue(relationId, out var current) && current.Table is { } previous && previous.Name == name
            && SameSchemas(previous.Schema, schema))
        {
            return null;
        }
        var topic = topics.Assign(name);
        var table = new CapturedTable(name, topic, schema, status.CountersFor(name.ToString()));
        _relations[relationId] = (name, table);
        Log.RelationVersion(logger, name.ToString(), topic, schema.Columns.Count, schema.Key is null ? "none" : string.Join(", ", schema.KeyColumns.Select(k => k.Column.Name)));
        return table;
    }

    /// <summary>The current version of a captured relation, or null when the relation is published but not captured.</summary>
    /// <exception cref="SourceConnectorException">No Relation message came for <paramref name="relationId"/> (a protocol violation).</exception>
    public CapturedTable? Captured(uint relationId) =>
        _relations.TryGetValue(relationId, out var entry)
            ? entry.Table
            : throw new SourceConnectorException(FailureKind.Transient, $"pgoutput sent a change of relation {relationId} before describing it in a Relation message");

    static bool SameSchemas(PgTableSchema a, PgTableSchema b) =>
        a.Value.ToString() == b.Value.ToString() && (a.Key?.ToString() ?? "") == (b.Key?.ToString() ?? "");
}
