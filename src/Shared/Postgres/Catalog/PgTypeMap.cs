namespace KafkaCdc.Shared.Postgres;

/// <summary>Which <see cref="PgValueKind"/> a base element type has: the contract's column-type table, keyed by built-in OID, kind and name.</summary>
internal static class PgTypeMap
{
    private static readonly Dictionary<uint, PgValueKind> s_builtIn = new()
    {
        [PgTypeOids.Int2] = PgValueKind.Int16,
        [PgTypeOids.Int4] = PgValueKind.Int32,
        [PgTypeOids.Int8] = PgValueKind.Int64,
        [PgTypeOids.Oid] = PgValueKind.Int64,
        [PgTypeOids.Float4] = PgValueKind.Float4,
        [PgTypeOids.Float8] = PgValueKind.Float8,
        [PgTypeOids.Numeric] = PgValueKind.Numeric,
        [PgTypeOids.Money] = PgValueKind.Money,
        [PgTypeOids.Bool] = PgValueKind.Boolean,
        [PgTypeOids.Bytea] = PgValueKind.Bytea,
        [PgTypeOids.Date] = PgValueKind.Date,
        [PgTypeOids.Time] = PgValueKind.Time,
        [PgTypeOids.Timestamp] = PgValueKind.Timestamp,
        [PgTypeOids.TimestampTz] = PgValueKind.TimestampTz,
        [PgTypeOids.Uuid] = PgValueKind.Uuid,

        [PgTypeOids.Text] = PgValueKind.Text,
        [PgTypeOids.VarChar] = PgValueKind.Text,
        [PgTypeOids.BpChar] = PgValueKind.Text,
        [PgTypeOids.Name] = PgValueKind.Text,
        [PgTypeOids.Char] = PgValueKind.Text,
        [PgTypeOids.TimeTz] = PgValueKind.Text,
        [PgTypeOids.Interval] = PgValueKind.Text,
        [PgTypeOids.Json] = PgValueKind.Text,
        [PgTypeOids.Jsonb] = PgValueKind.Text,
        [PgTypeOids.Xml] = PgValueKind.Text,
        [PgTypeOids.Inet] = PgValueKind.Text,
        [PgTypeOids.Cidr] = PgValueKind.Text,
        [PgTypeOids.MacAddr] = PgValueKind.Text,
        [PgTypeOids.MacAddr8] = PgValueKind.Text,
        [PgTypeOids.Bit] = PgValueKind.Text,
        [PgTypeOids.VarBit] = PgValueKind.Text,
        [PgTypeOids.TsVector] = PgValueKind.Text,
        [PgTypeOids.TsQuery] = PgValueKind.Text,
        [PgTypeOids.Point] = PgValueKind.Text,
        [PgTypeOids.Line] = PgValueKind.Text,
        [PgTypeOids.Lseg] = PgValueKind.Text,
        [PgTypeOids.Box] = PgValueKind.Text,
        [PgTypeOids.Path] = PgValueKind.Text,
        [PgTypeOids.Polygon] = PgValueKind.Text,
        [PgTypeOids.Circle] = PgValueKind.Text,
        [PgTypeOids.PgLsn] = PgValueKind.Text,
    };

    /// <summary>The kind of <paramref name="type"/>'s base element type.</summary>
    public static PgValueKind KindOf(PgColumnType type)
    {
        if (type.BaseTypeSchema == "pg_catalog" && s_builtIn.TryGetValue(type.BaseTypeOid, out var kind))
        {
            return kind;
        }

        return type.Kind switch
        {
            PgTypeKind.Enum or PgTypeKind.Range or PgTypeKind.Multirange => PgValueKind.Text,
            PgTypeKind.Base when type.BaseTypeName == "citext" => PgValueKind.Text,
            _ => PgValueKind.UnknownText,
        };
    }
}
