using System.Globalization;
using Avro;
using Avro.Generic;
using KafkaCdc.Shared.AvroFormat;

namespace KafkaCdc.Shared.Postgres;

/// <summary>
/// The Avro type <c>T</c> of one base element type and the function from its text output to a datum of <c>T</c>,
/// chosen together in <see cref="For"/> so that schema and decoder cannot disagree. This is the contract's
/// column-type table in code.
/// </summary>
/// <param name="Schema">The Avro type <c>T</c> (a union when <c>T</c> is "X, then string").</param>
/// <param name="Decode">Text output to datum; throws <see cref="FormatException"/> or <see cref="ArithmeticException"/> on bad text.</param>
/// <param name="IsFallback">Whether the type is not one the contract lists, so its text is passed on as a string.</param>
internal sealed record PgScalarMapping(Schema Schema, Func<string, object> Decode, bool IsFallback = false)
{
    private static readonly UnionSchema s_variableScaleDecimalOrString = AvroSchemas.Union(ChangeEventSchemas.VariableScaleDecimal, AvroSchemas.String);
    private static readonly UnionSchema s_doubleOrString = AvroSchemas.Union(AvroSchemas.Double, AvroSchemas.String);
    private static readonly LogicalSchema s_money = AvroSchemas.Decimal(19, PgNumberText.MoneyScale);
    private static readonly PrimitiveSchema s_uuid = AvroSchemas.Named(Schema.Type.String, "io.debezium.data.Uuid");

    /// <summary>The mapping of <paramref name="type"/>'s base element type under <paramref name="options"/>.</summary>
    public static PgScalarMapping For(PgColumnType type, PgAvroOptions options) => PgTypeMap.KindOf(type) switch
    {
        PgValueKind.Int16 => new(AvroSchemas.Int, static t => (int)short.Parse(t, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture)),
        PgValueKind.Int32 => new(AvroSchemas.Int, static t => int.Parse(t, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture)),
        PgValueKind.Int64 => new(AvroSchemas.Long, static t => long.Parse(t, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture)),
        PgValueKind.Float4 => new(AvroSchemas.Float, static t => PgNumberText.ParseFloat4(t)),
        PgValueKind.Float8 => new(AvroSchemas.Double, static t => PgNumberText.ParseFloat8(t)),
        PgValueKind.Numeric => Numeric(type, options.DecimalHandling),
        PgValueKind.Money => new(s_money, static t => PgNumberText.ParseMoney(t)),
        PgValueKind.Boolean => new(AvroSchemas.Boolean, static t => t switch
        {
            "t" => true,
            "f" => false,
            _ => throw new FormatException($"'{PgNumberText.Shorten(t)}' is not a boolean (t or f)"),
        }),
        PgValueKind.Bytea => options.BinaryHandling switch
        {
            BinaryHandlingMode.Base64 => new(AvroSchemas.String, static t => Convert.ToBase64String(PgByteaText.Parse(t))),
            BinaryHandlingMode.Hex => new(AvroSchemas.String, static t => Convert.ToHexStringLower(PgByteaText.Parse(t))),
            _ => new(AvroSchemas.Bytes, static t => PgByteaText.Parse(t)),
        },
        PgValueKind.Date or PgValueKind.Time or PgValueKind.Timestamp or PgValueKind.TimestampTz =>
            PgTemporalSchemas.For(PgTypeMap.KindOf(type), type.Precision, options.TimePrecision),
        PgValueKind.Uuid => new(s_uuid, static t => t),
        PgValueKind.Text => new(AvroSchemas.String, static t => t),
        _ => new(AvroSchemas.String, static t => t, IsFallback: true),
    };

    private static PgScalarMapping Numeric(PgColumnType type, DecimalHandlingMode mode)
    {
        switch (mode)
        {
            case DecimalHandlingMode.String:
                return new(AvroSchemas.String, static t => PgNumberText.IsNumericSpecial(t) || PgDecimalText.TryParse(t, out _) ? t : throw new FormatException($"'{PgNumberText.Shorten(t)}' is not a numeric value"));
            case DecimalHandlingMode.Double:
                return new(s_doubleOrString, static t => PgNumberText.ParseFloat8(t));
        }

        if (type.Precision is not { } precision || type.Scale is not { } scale)
        {
            return new(s_variableScaleDecimalOrString, static t => PgNumberText.IsNumericSpecial(t) ? t : VariableScaleDecimal(PgNumberText.ParseDecimal(t)));
        }

        // Avro scales are 0..precision; PostgreSQL 15 also has negative scales and scales above the precision.
        var avroScale = Math.Max(scale, 0);
        var avroPrecision = scale < 0 ? precision - scale : Math.Max(precision, scale);
        return new(
            AvroSchemas.Union(AvroSchemas.Decimal(avroPrecision, avroScale), AvroSchemas.String),
            t => PgNumberText.IsNumericSpecial(t) ? t : PgDecimalText.Rescale(PgNumberText.ParseDecimal(t), avroScale));
    }

    private static GenericRecord VariableScaleDecimal(AvroDecimal value)
    {
        var record = new GenericRecord(ChangeEventSchemas.VariableScaleDecimal);
        record.Add(0, value.Scale);
        record.Add(1, PgNumberText.UnscaledBytes(value.UnscaledValue));
        return record;
    }
}
