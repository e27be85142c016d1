namespace KafkaCdc.Shared.Postgres;

/// <summary>A column of a table, as <see cref="PgTypeCatalog"/> describes it.</summary>
/// <param name="Name">The exact column name.</param>
/// <param name="AttributeNumber">
/// <c>pg_attribute.attnum</c>; <see langword="null"/> when the column came from a Relation message and the catalog
/// no longer has it (dropped or renamed since that point of the WAL).
/// </param>
/// <param name="Type">The column's type.</param>
/// <param name="IsNotNull">Whether the column is <c>NOT NULL</c>.</param>
/// <param name="KeyPosition">The 1-based position in the primary key, or <see langword="null"/> when not part of it.</param>
/// <param name="IsGenerated">
/// Whether it is a generated column. pgoutput (before PostgreSQL 18) does not publish generated columns, so a
/// snapshot built from <see cref="PgTypeCatalog.DescribeRelationAsync"/> should leave them out to match the stream.
/// </param>
/// <param name="DefaultExpression">The column's default as <c>pg_get_expr</c> prints it (<c>3</c>, <c>'x'::text</c>, <c>now()</c>), or null.</param>
public sealed record PgColumn(string Name, int? AttributeNumber, PgColumnType Type, bool IsNotNull, int? KeyPosition, bool IsGenerated = false,
    string? DefaultExpression = null);
