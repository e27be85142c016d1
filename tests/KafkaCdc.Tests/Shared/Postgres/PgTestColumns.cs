using KafkaCdc.Shared.Postgres;

namespace KafkaCdc.Tests.Shared.Postgres;

/// <summary>Columns of built-in types for unit tests, described as <see cref="PgTypeCatalog"/> would.</summary>
internal static class PgTestColumns
{
    private static readonly Dictionary<string, (uint Oid, string Formatted)> s_builtIns = new()
    {
        ["bool"] = (16, "boolean"),
        ["bytea"] = (17, "bytea"),
        ["char"] = (18, "\"char\""),
        ["name"] = (19, "name"),
        ["int8"] = (20, "bigint"),
        ["int2"] = (21, "smallint"),
        ["int2vector"] = (22, "int2vector"),
        ["int4"] = (23, "integer"),
        ["text"] = (25, "text"),
        ["oid"] = (26, "oid"),
        ["json"] = (114, "json"),
        ["xml"] = (142, "xml"),
        ["point"] = (600, "point"),
        ["box"] = (603, "box"),
        ["float4"] = (700, "real"),
        ["float8"] = (701, "double precision"),
        ["money"] = (790, "money"),
        ["inet"] = (869, "inet"),
        ["bpchar"] = (1042, "character"),
        ["varchar"] = (1043, "character varying"),
        ["date"] = (1082, "date"),
        ["time"] = (1083, "time without time zone"),
        ["timestamp"] = (1114, "timestamp without time zone"),
        ["timestamptz"] = (1184, "timestamp with time zone"),
        ["interval"] = (1186, "interval"),
        ["timetz"] = (1266, "time with time zone"),
        ["bit"] = (1560, "bit"),
        ["numeric"] = (1700, "numeric"),
        ["uuid"] = (2950, "uuid"),
        ["pg_lsn"] = (3220, "pg_lsn"),
        ["jsonb"] = (3802, "jsonb"),
        ["txid_snapshot"] = (2970, "txid_snapshot"),
    };

    /// <summary>A column of the built-in type <paramref name="typeName"/> (its <c>typname</c>).</summary>
    public static PgColumn Of(
        string typeName, int typeModifier = -1, int dimensions = 0, string name = "c", bool notNull = false, int? keyPosition = null,
        string? formatted = null)
    {
        var (oid, baseFormatted) = s_builtIns[typeName];
        var type = new PgColumnType
        {
            Oid = dimensions > 0 ? 100000 + oid : oid,
            TypeModifier = typeModifier,
            BaseTypeOid = oid,
            BaseTypeName = typeName,
            BaseTypeSchema = "pg_catalog",
            Kind = PgTypeKind.Base,
            BaseTypeModifier = typeModifier,
            FormattedType = formatted ?? baseFormatted + (dimensions > 0 ? "[]" : ""),
            Delimiter = typeName == "box" ? ';' : ',',
            ArrayDimensions = dimensions,
        };
        return new PgColumn(name, 1, type, notNull, keyPosition);
    }

    /// <summary>A column of a user-defined type in <c>public</c>.</summary>
    public static PgColumn UserDefined(string typeName, PgTypeKind kind, int dimensions = 0, string name = "c") =>
        new(name, 1, new PgColumnType
        {
            Oid = 70000,
            TypeModifier = -1,
            BaseTypeOid = 60000,
            BaseTypeName = typeName,
            BaseTypeSchema = "public",
            Kind = kind,
            FormattedType = "public." + typeName + (dimensions > 0 ? "[]" : ""),
            ArrayDimensions = dimensions,
        }, false, null);

    /// <summary>numeric(p,s)'s type modifier.</summary>
    public static int NumericModifier(int precision, int scale) => ((precision << 16) | (scale & 0x7ff)) + 4;

    /// <summary>Decodes <paramref name="text"/> as a value of <paramref name="column"/> with <paramref name="options"/>.</summary>
    public static object? Decode(PgColumn column, string? text, PgAvroOptions? options = null) =>
        PgColumnDecoder.Create(column, options ?? PgAvroOptions.Default).Decode(text);
}
