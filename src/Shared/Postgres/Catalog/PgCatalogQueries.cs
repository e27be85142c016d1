namespace KafkaCdc.Shared.Postgres;

/// <summary>The SQL of <see cref="PgTypeCatalog"/>. Catalog names are qualified so a user's search_path cannot shadow them.</summary>
internal static class PgCatalogQueries
{
    /// <summary>$1 relation oid: one row when the relation exists.</summary>
    public const string RelationExists = "SELECT 1 FROM pg_catalog.pg_class WHERE oid = $1";

    /// <summary>
    /// $1 relation oid, optionally $2 text[] of names to restrict to: the live columns (attnum, name, type oid,
    /// typmod, not null, dims, generated, primary-key position).
    /// </summary>
    public const string Attributes = """
        SELECT a.attnum::int4, a.attname::text, a.atttypid, a.atttypmod, a.attnotnull, a.attndims::int4,
               a.attgenerated <> '' AS generated, k.position,
               CASE WHEN a.attgenerated = '' THEN pg_catalog.pg_get_expr(d.adbin, d.adrelid) END AS default_expression
        FROM pg_catalog.pg_attribute a
        LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        LEFT JOIN LATERAL (
            SELECT p.position::int4
            FROM pg_catalog.pg_index i
            CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS p(attnum, position)
            WHERE i.indrelid = a.attrelid AND i.indisprimary AND p.attnum = a.attnum
        ) k ON true
        WHERE a.attrelid = $1 AND a.attnum > 0 AND NOT a.attisdropped {0}
        ORDER BY a.attnum
        """;

    /// <summary>
    /// $1 relation oid: the stored generated columns (name, type oid, typmod, dims, expression, the names of the
    /// columns the expression reads), in attnum order. The dependency is the column's own since PostgreSQL 12; the
    /// default's (pg_attrdef, which also depends on the column itself, left out) is accepted too.
    /// </summary>
    public const string GeneratedColumns = """
        SELECT a.attname::text, a.atttypid, a.atttypmod, a.attndims::int4, pg_catalog.pg_get_expr(d.adbin, d.adrelid),
               ARRAY(SELECT r.attname::text
                     FROM pg_catalog.pg_depend p
                     JOIN pg_catalog.pg_attribute r ON r.attrelid = p.refobjid AND r.attnum = p.refobjsubid
                     WHERE p.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass AND p.refobjid = a.attrelid AND p.refobjsubid > 0
                       AND p.refobjsubid <> a.attnum
                       AND ((p.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND p.objid = a.attrelid AND p.objsubid = a.attnum)
                            OR (p.classid = 'pg_catalog.pg_attrdef'::pg_catalog.regclass AND p.objid = d.oid))
                     ORDER BY r.attnum)
        FROM pg_catalog.pg_attribute a
        JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE a.attrelid = $1 AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = 's'
        ORDER BY a.attnum
        """;

    /// <summary>The restriction of <see cref="Attributes"/> to the names in $2.</summary>
    public const string AttributesNamed = "AND a.attname = ANY($2::text[])";

    /// <summary>The types to describe: those of relation $1's columns, less the pairs ($2 oids, $3 typmods) already cached.</summary>
    public const string RelationTypes = """
        SELECT DISTINCT a.atttypid, a.atttypmod
        FROM pg_catalog.pg_attribute a
        WHERE a.attrelid = $1 AND a.attnum > 0 AND NOT a.attisdropped
        EXCEPT SELECT * FROM unnest($2::oid[], $3::int4[])
        """;

    /// <summary>The types to describe: the pairs ($1 oids, $2 typmods).</summary>
    public const string GivenTypes = "SELECT * FROM unnest($1::oid[], $2::int4[])";

    /// <summary>
    /// Describes each (oid, typmod) of the <c>wanted</c> query {0}: follows domains (taking a domain's own typmod
    /// and dimensions) and true arrays (not <c>int2vector</c>/<c>oidvector</c>, whose text is not an array literal)
    /// down to the base element type, and formats the base type with <c>format_type</c>, qualified by schema
    /// unless it is in <c>pg_catalog</c> (<c>format_type</c> qualifies only types not visible on the search path).
    /// </summary>
    public const string Types = """
        WITH RECURSIVE wanted(type_oid, type_mod) AS (
            {0}
        ),
        chain(type_oid, type_mod, current_oid, current_mod, domain_oid, is_array, dims, depth) AS (
            SELECT w.type_oid, w.type_mod, w.type_oid, w.type_mod, 0::oid, false, 0, 0
            FROM wanted w
            UNION ALL
            SELECT c.type_oid, c.type_mod,
                   CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.typelem END,
                   CASE WHEN t.typtype = 'd' AND t.typtypmod <> -1 THEN t.typtypmod ELSE c.current_mod END,
                   CASE WHEN c.domain_oid = 0 AND t.typtype = 'd' THEN t.oid ELSE c.domain_oid END,
                   c.is_array OR t.typtype <> 'd',
                   CASE WHEN c.dims = 0 AND t.typtype = 'd' THEN t.typndims ELSE c.dims END,
                   c.depth + 1
            FROM chain c
            JOIN pg_catalog.pg_type t ON t.oid = c.current_oid
            WHERE c.depth < 32
              AND (t.typtype = 'd'
                   OR (NOT c.is_array AND t.typcategory = 'A' AND t.typelem <> 0 AND t.typlen = -1
                       AND t.oid NOT IN ('pg_catalog.int2vector'::pg_catalog.regtype, 'pg_catalog.oidvector'::pg_catalog.regtype)))
        )
        SELECT DISTINCT ON (c.type_oid, c.type_mod)
               c.type_oid, c.type_mod, t.oid, t.typname::text, n.nspname::text, t.typtype::text, t.typdelim::text,
               c.current_mod, c.is_array, c.dims,
               CASE WHEN c.domain_oid <> 0 THEN quote_ident(dn.nspname) || '.' || quote_ident(d.typname) END,
               CASE WHEN n.nspname <> 'pg_catalog' AND pg_catalog.pg_type_is_visible(f.oid) THEN quote_ident(n.nspname) || '.' ELSE '' END
                 || pg_catalog.format_type(f.oid, c.current_mod) || f.suffix
        FROM chain c
        JOIN pg_catalog.pg_type t ON t.oid = c.current_oid
        JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
        CROSS JOIN LATERAL (
            SELECT CASE WHEN c.is_array AND t.typarray <> 0 THEN t.typarray ELSE t.oid END AS oid,
                   CASE WHEN c.is_array AND t.typarray = 0 THEN '[]' ELSE '' END AS suffix
        ) f
        LEFT JOIN pg_catalog.pg_type d ON d.oid = c.domain_oid
        LEFT JOIN pg_catalog.pg_namespace dn ON dn.oid = d.typnamespace
        ORDER BY c.type_oid, c.type_mod, c.depth DESC
        """;
}
