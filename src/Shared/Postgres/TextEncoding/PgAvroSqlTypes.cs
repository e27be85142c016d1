using KafkaCdc.Shared.Avro;

namespace KafkaCdc.Shared.Postgres;

/// <summary>
/// The PostgreSQL column type for an Avro schema without KafkaCdc's column properties (records of other producers).
/// </summary>
internal static class PgAvroSqlTypes
{
    /// <summary>numeric's largest declarable precision.</summary>
    private const int MaxNumericPrecision = 1000;

    /// <summary>
    /// int → integer, long → bigint, float → real, double → double precision, boolean, string → text, bytes and
    /// fixed → bytea, decimal(p,s) → numeric(p,s), date, time-* → time, timestamp-* → timestamptz,
    /// local-timestamp-* → timestamp, uuid, VariableScaleDecimal → numeric, arrays → T[], records and maps → jsonb,
    /// enums → text. A union with null is its other branch; "decimal or string" is numeric (NaN, infinities); an
    /// array or string union is the array; any other union is text.
    /// </summary>
    public static string Derive(AvroSchema schema)
    {
        if (schema is UnionSchema union)
        {
            var branches = union.Branches.Where(b => b.Type != AvroType.Null).ToList();
            var nonString = branches.Where(b => !(b.Type == AvroType.String && b.LogicalType is null)).ToList();
            return branches.Count switch
            {
                1 => Derive(branches[0]),
                2 when nonString.Count == 1 && IsNumericLike(nonString[0]) => Derive(nonString[0]),
                2 when nonString.Count == 1 && nonString[0] is ArraySchema => Derive(nonString[0]),
                _ => "text",
            };
        }

        switch (schema)
        {
            case { LogicalType: DecimalLogicalType { Precision: <= MaxNumericPrecision } decimalType }:
                return $"numeric({decimalType.Precision},{decimalType.Scale})";
            case { LogicalType: DecimalLogicalType }:
                return "numeric";
            case ArraySchema array:
                var leaf = array.Items;
                while (NonNull(leaf) is ArraySchema nested)
                {
                    leaf = nested.Items;
                }

                var element = Derive(leaf);
                return element.EndsWith("[]", StringComparison.Ordinal) ? element : element + "[]";
            case RecordSchema record when record.FullName == ChangeEventSchemas.VariableScaleDecimal.FullName:
                return "numeric";
            case RecordSchema or MapSchema:
                return "jsonb";
            case EnumSchema:
                return "text";
            case FixedSchema:
                return "bytea";
        }

        return schema.LogicalType?.Kind switch
        {
            LogicalTypeKind.Date => "date",
            LogicalTypeKind.TimeMillis or LogicalTypeKind.TimeMicros => "time",
            LogicalTypeKind.TimestampMillis or LogicalTypeKind.TimestampMicros => "timestamp with time zone",
            LogicalTypeKind.LocalTimestampMillis or LogicalTypeKind.LocalTimestampMicros => "timestamp without time zone",
            LogicalTypeKind.Uuid => "uuid",
            _ => schema.Type switch
            {
                AvroType.Int => "integer",
                AvroType.Long => "bigint",
                AvroType.Float => "real",
                AvroType.Double => "double precision",
                AvroType.Boolean => "boolean",
                AvroType.Bytes => "bytea",
                _ => "text",
            },
        };
    }

    private static bool IsNumericLike(AvroSchema schema) =>
        schema.LogicalType is DecimalLogicalType
        || schema.Type is AvroType.Double or AvroType.Float
        || (schema is RecordSchema record && record.FullName == ChangeEventSchemas.VariableScaleDecimal.FullName);

    private static AvroSchema NonNull(AvroSchema schema) =>
        schema is UnionSchema union && union.Branches.Count(b => b.Type != AvroType.Null) == 1
            ? union.Branches.First(b => b.Type != AvroType.Null)
            : schema;
}
