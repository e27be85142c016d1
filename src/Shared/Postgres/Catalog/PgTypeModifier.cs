namespace KafkaCdc.Shared.Postgres;

/// <summary>Decodes type modifiers (<c>atttypmod</c>) of the built-in types that have them, as their <c>typmodout</c> functions do.</summary>
internal static class PgTypeModifier
{
    private const int VarHeaderSize = 4;

    /// <summary><c>char(n)</c>, <c>varchar(n)</c>: n + 4; <c>bit(n)</c>, <c>varbit(n)</c>: n.</summary>
    public static int? Length(uint oid, int modifier) => oid switch
    {
        PgTypeOids.BpChar or PgTypeOids.VarChar when modifier >= VarHeaderSize => modifier - VarHeaderSize,
        PgTypeOids.Bit or PgTypeOids.VarBit when modifier >= 0 => modifier,
        _ => null,
    };

    /// <summary><c>numeric(p,s)</c>: ((p &lt;&lt; 16) | s) + 4; times: the precision; <c>interval</c>: the low 16 bits, 0xFFFF for none.</summary>
    public static int? Precision(uint oid, int modifier) => oid switch
    {
        PgTypeOids.Numeric when modifier >= VarHeaderSize => ((modifier - VarHeaderSize) >> 16) & 0xffff,
        PgTypeOids.Time or PgTypeOids.TimeTz or PgTypeOids.Timestamp or PgTypeOids.TimestampTz when modifier >= 0 => modifier,
        PgTypeOids.Interval when modifier >= 0 && (modifier & 0xffff) != 0xffff => modifier & 0xffff,
        _ => null,
    };

    /// <summary>The scale of <c>numeric(p,s)</c>: 11 bits, sign-extended (PostgreSQL 15 allows −1000 to 1000).</summary>
    public static int? Scale(uint oid, int modifier) =>
        oid == PgTypeOids.Numeric && modifier >= VarHeaderSize ? (((modifier - VarHeaderSize) & 0x7ff) ^ 1024) - 1024 : null;
}
