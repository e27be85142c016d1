namespace KafkaCdc.Shared.Postgres;

/// <summary>
/// A column as pgoutput's <see href="https://www.postgresql.org/docs/current/protocol-logicalrep-message-formats.html">Relation
/// message</see> describes it: the input of <see cref="PgTypeCatalog.DescribeColumnsAsync"/>.
/// </summary>
/// <param name="Name">The column name.</param>
/// <param name="TypeOid">The OID of the column's declared type.</param>
/// <param name="TypeModifier">The type modifier (<c>atttypmod</c>), −1 for none.</param>
public readonly record struct PgRelationColumn(string Name, uint TypeOid, int TypeModifier);
