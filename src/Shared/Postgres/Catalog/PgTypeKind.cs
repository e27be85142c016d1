namespace KafkaCdc.Shared.Postgres;

/// <summary>
/// The kind of a (base element) type, from <see href="https://www.postgresql.org/docs/current/catalog-pg-type.html"><c>pg_type.typtype</c></see>;
/// domains are resolved to their base type first, so there is no domain kind. Written lowercase in the
/// <c>kafkacdc.type.kind</c> property.
/// </summary>
public enum PgTypeKind
{
    /// <summary><c>b</c>: a base type such as <c>integer</c> or an extension's <c>citext</c>.</summary>
    Base,

    /// <summary><c>e</c>: an enum.</summary>
    Enum,

    /// <summary><c>r</c>: a range such as <c>int4range</c>.</summary>
    Range,

    /// <summary><c>m</c>: a multirange such as <c>int4multirange</c> (PostgreSQL 14 and later).</summary>
    Multirange,

    /// <summary><c>c</c>: a composite (row) type.</summary>
    Composite,

    /// <summary><c>p</c>: a pseudo-type; also used for a type the catalog no longer has.</summary>
    Pseudo,
}
