using Avro;
using KafkaCdc.Shared.AvroFormat;

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
    public static string Derive(Schema schema)
    {
        if (schema is UnionSchema)
        {
            var branches = AvroSchemas.NonNullBranches(schema);
            var nonString = branches.Where(b => !AvroSchemas.IsPlainString(b)).ToList();
            return branches.Count switch
            {
                1 => Derive(branches[0]),
                2 when nonString.Count == 1 && (IsNumericLike(nonString[0]) || PgTemporalSchemas.Recognize(nonString[0]) != PgTemporalKind.None) => Derive(nonString[0]),
                2 when nonString.Count == 1 && nonString[0] is ArraySchema => Derive(nonString[0]),
                _ => "text",
            };
        }

        if (AvroSchemas.DecimalOf(schema) is var (precision, scale))
        {
            return precision <= MaxNumericPrecision ? $"numeric({precision},{scale})" : "numeric";
        }

        if (PgTemporalSchemas.SqlType(PgTemporalSchemas.Recognize(schema)) is { } temporal)
        {
            return temporal;
        }

        switch (schema)
        {
            case ArraySchema array:
                var leaf = array.ItemSchema;
                while (AvroSchemas.Unwrap(leaf) is ArraySchema nested)
                {
                    leaf = nested.ItemSchema;
                }

                var element = Derive(leaf);
                return element.EndsWith("[]", StringComparison.Ordinal) ? element : element + "[]";
            case RecordSchema record when record.Fullname == ChangeEventSchemas.VariableScaleDecimal.Fullname:
                return "numeric";
            case RecordSchema or MapSchema:
                return "jsonb";
            case EnumSchema:
                return "text";
            case FixedSchema:
                return "bytea";
        }

        if (AvroSchemas.LogicalTypeName(schema) == "uuid" || AvroSchemas.StringProperty(schema, AvroSchemas.ConnectName) == "io.debezium.data.Uuid")
        {
            return "uuid";
        }

        return AvroSchemas.BaseType(schema) switch
        {
            Schema.Type.Int => "integer",
            Schema.Type.Long => "bigint",
            Schema.Type.Float => "real",
            Schema.Type.Double => "double precision",
            Schema.Type.Boolean => "boolean",
            Schema.Type.Bytes => "bytea",
            _ => "text",
        };
    }

    private static bool IsNumericLike(Schema schema) =>
        AvroSchemas.DecimalOf(schema) is not null
        || schema.Tag is Schema.Type.Double or Schema.Type.Float
        || (schema is RecordSchema record && record.Fullname == ChangeEventSchemas.VariableScaleDecimal.Fullname);
}
