using KafkaCdc.Shared.Postgres;

namespace KafkaCdc.SourceConnector.Replication;

/// <summary>A pgoutput Relation message: the relation's id, names and columns at that point of the WAL.</summary>
/// <param name="RelationId">The relation's OID.</param>
/// <param name="Namespace">Its schema (empty for pg_catalog).</param>
/// <param name="Name">Its name.</param>
/// <param name="Columns">Its published columns, in attribute-number order.</param>
internal sealed record RelationDescription(uint RelationId, string Namespace, string Name, PgRelationColumn[] Columns);
