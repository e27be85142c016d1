namespace KafkaCdc.Shared.Postgres;

/// <summary>
/// A column's type: the declared type as the column (or a Relation message) names it, and the base element type
/// reached by resolving domains and arrays, which decides the Avro schema. Immutable; <see cref="PgTypeCatalog"/>
/// builds them.
/// </summary>
/// <example>
/// A column <c>prices positive_price[]</c>, with <c>CREATE DOMAIN positive_price AS numeric(10,2)</c>, has
/// <see cref="Oid"/> of <c>positive_price[]</c>, <see cref="BaseTypeName"/> <c>numeric</c>,
/// <see cref="BaseTypeModifier"/> of <c>(10,2)</c>, <see cref="FormattedType"/> <c>numeric(10,2)[]</c>,
/// <see cref="ArrayDimensions"/> 1 and <see cref="Domain"/> <c>public.positive_price</c>.
/// </example>
public sealed record PgColumnType
{
    /// <summary>The OID of the declared type (<c>atttypid</c>), possibly a domain or an array type.</summary>
    public required uint Oid { get; init; }

    /// <summary>The declared type modifier (<c>atttypmod</c>), −1 for none.</summary>
    public required int TypeModifier { get; init; }

    /// <summary>The OID of the base element type: after resolving domains and, for arrays, the element type.</summary>
    public required uint BaseTypeOid { get; init; }

    /// <summary>The base element type's <c>typname</c>, e.g. <c>int4</c>, <c>varchar</c>, <c>mood</c>.</summary>
    public required string BaseTypeName { get; init; }

    /// <summary>The schema of the base element type, e.g. <c>pg_catalog</c>.</summary>
    public required string BaseTypeSchema { get; init; }

    /// <summary>The kind of the base element type.</summary>
    public required PgTypeKind Kind { get; init; }

    /// <summary>The type modifier that applies to the base element type (a domain's own modifier when it has one).</summary>
    public int BaseTypeModifier { get; init; } = -1;

    /// <summary>
    /// The type as <c>format_type</c> writes it, of the base type (domains resolved) with its modifier and <c>[]</c>
    /// for arrays; types outside <c>pg_catalog</c> always schema-qualified: <c>numeric(12,2)</c>,
    /// <c>character varying(40)[]</c>, <c>timestamp(3) with time zone</c>, <c>public.mood</c>. Valid SQL for a column.
    /// </summary>
    public required string FormattedType { get; init; }

    /// <summary>The element type's array delimiter (<c>typdelim</c>): <c>,</c> except <c>;</c> for <c>box</c>.</summary>
    public char Delimiter { get; init; } = ',';

    /// <summary>The number of array dimensions (<c>attndims</c>, at least 1 for arrays); 0 for a scalar.</summary>
    public int ArrayDimensions { get; init; }

    /// <summary>The domain, schema-qualified and quoted as needed (<c>public.positive_int</c>), when the column's type (or its array's element type) is one.</summary>
    public string? Domain { get; init; }

    /// <summary>Whether the column holds arrays.</summary>
    public bool IsArray => ArrayDimensions > 0;

    /// <summary>Whether the base element type lives outside <c>pg_catalog</c> (enums, composites, extension types...), so it may not exist elsewhere.</summary>
    public bool IsUserDefined => BaseTypeSchema != "pg_catalog";

    /// <summary>The declared length of <c>char</c>, <c>varchar</c>, <c>bit</c>, <c>varbit</c>, or <see langword="null"/>.</summary>
    public int? Length => PgTypeModifier.Length(BaseTypeOid, BaseTypeModifier);

    /// <summary>The declared precision of <c>numeric</c>, or the fractional-second precision of <c>time</c>, <c>timetz</c>, <c>timestamp</c>, <c>timestamptz</c>, <c>interval</c>; else <see langword="null"/>.</summary>
    public int? Precision => PgTypeModifier.Precision(BaseTypeOid, BaseTypeModifier);

    /// <summary>The declared scale of <c>numeric</c> (negative scales exist since PostgreSQL 15), or <see langword="null"/>.</summary>
    public int? Scale => PgTypeModifier.Scale(BaseTypeOid, BaseTypeModifier);
}
