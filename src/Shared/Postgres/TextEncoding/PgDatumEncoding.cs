using System.Collections;
using System.Globalization;
using Avro;
using Avro.Generic;
using KafkaCdc.Shared.AvroFormat;

namespace KafkaCdc.Shared.Postgres;

/// <summary>
/// Compiles the function from an Avro datum of a schema to PostgreSQL text input: the inverse of
/// <see cref="PgScalarMapping"/> and <see cref="PgArrayDecoding"/>, driven by the Avro schema alone (plus the
/// <c>bytea</c> string encoding and the array delimiter), so it also serves records of other producers. Datums are as
/// Apache.Avro reads them from a schema whose date and time logical types are left out
/// (<see cref="AvroSchemas.WithoutConvertedLogicalTypes"/>): dates and times arrive as their raw int or long.
/// </summary>
internal static class PgDatumEncoding
{
    /// <summary>The encoder of non-null datums of <paramref name="schema"/>; a union picks the branch by the datum's runtime type.</summary>
    /// <param name="schema">The field's schema.</param>
    /// <param name="binaryEncoding"><c>base64</c> or <c>hex</c> when string values hold <c>bytea</c> (the <c>kafkacdc.encoding</c> property), else null.</param>
    /// <param name="delimiter">The array element delimiter.</param>
    public static Func<object, string> Compile(Schema schema, string? binaryEncoding, char delimiter)
    {
        var branches = AvroSchemas.NonNullBranches(schema);
        if (branches.Count == 1)
        {
            return Branch(branches[0], binaryEncoding, delimiter);
        }

        // Next to an array, the string branch holds an array literal as PostgreSQL wrote it, never base64 or hex.
        var hasArray = branches.Any(b => b is ArraySchema);
        var choices = branches
            .Select(b => (Accepts: Accepts(b), Encode: Branch(b, hasArray && AvroSchemas.IsPlainString(b) ? null : binaryEncoding, delimiter)))
            .ToArray();
        return value =>
        {
            foreach (var (accepts, encode) in choices)
            {
                if (accepts(value))
                {
                    return encode(value);
                }
            }

            throw new InvalidCastException($"no branch of {schema} holds a {value.GetType().Name}");
        };
    }

    private static Func<object, string> Branch(Schema schema, string? binaryEncoding, char delimiter)
    {
        if (AvroSchemas.DecimalOf(schema) is not null)
        {
            return static v => PgDecimalText.Format((AvroDecimal)v);
        }

        var temporal = PgTemporalSchemas.Recognize(schema);
        if (temporal == PgTemporalKind.ZonedTimestamp)
        {
            return v => PgTemporalSchemas.ToText(temporal, (string)v);
        }

        if (temporal != PgTemporalKind.None)
        {
            return v => PgTemporalSchemas.ToText(temporal, v is int days ? days : (long)v);
        }

        switch (schema)
        {
            case ArraySchema array:
                var leaf = array.ItemSchema;
                while (AvroSchemas.Unwrap(leaf) is ArraySchema nested)
                {
                    leaf = nested.ItemSchema;
                }

                var element = Compile(leaf, binaryEncoding, delimiter);
                return v => PgArrayLiteral.Format((IList)v, delimiter, element);
            case RecordSchema record when record.Fullname == ChangeEventSchemas.VariableScaleDecimal.Fullname:
                return static v => VariableScaleDecimal((GenericRecord)v);
            case RecordSchema or MapSchema:
                return static v => PgJsonText.Write(v);
            case EnumSchema:
                return static v => v is GenericEnum symbol ? symbol.Value : (string)v;
            case FixedSchema:
                return static v => PgByteaText.Format(v is GenericFixed fixedValue ? fixedValue.Value : (byte[])v);
        }

        return AvroSchemas.BaseType(schema) switch
        {
            Schema.Type.Boolean => static v => (bool)v ? "t" : "f",
            Schema.Type.Int => static v => ((int)v).ToString(CultureInfo.InvariantCulture),
            Schema.Type.Long => static v => ((long)v).ToString(CultureInfo.InvariantCulture),
            Schema.Type.Float => static v => PgNumberText.FormatFloat4((float)v),
            Schema.Type.Double => static v => PgNumberText.FormatFloat8((double)v),
            Schema.Type.Bytes => static v => PgByteaText.Format((byte[])v),
            Schema.Type.String => binaryEncoding switch
            {
                "base64" => static v => PgByteaText.Format(Convert.FromBase64String((string)v)),
                "hex" => static v => PgByteaText.Format(Convert.FromHexString((string)v)),
                _ => static v => (string)v,
            },
            _ => throw new ArgumentException($"no text form for Avro {schema}", nameof(schema)),
        };
    }

    private static Func<object, bool> Accepts(Schema branch) => branch switch
    {
        _ when AvroSchemas.DecimalOf(branch) is not null => static v => v is AvroDecimal,
        RecordSchema record => v => v is GenericRecord r && r.Schema.Fullname == record.Fullname,
        EnumSchema enumSchema => v => v is GenericEnum e && e.Schema.Fullname == enumSchema.Fullname,
        FixedSchema fixedSchema => v => v is GenericFixed f && f.Schema.Fullname == fixedSchema.Fullname,
        ArraySchema => static v => v is IList and not byte[],
        MapSchema => static v => v is IDictionary,
        _ => AvroSchemas.BaseType(branch) switch
        {
            Schema.Type.Boolean => static v => v is bool,
            Schema.Type.Int => static v => v is int,
            Schema.Type.Long => static v => v is long,
            Schema.Type.Float => static v => v is float,
            Schema.Type.Double => static v => v is double,
            Schema.Type.Bytes => static v => v is byte[],
            Schema.Type.String => static v => v is string,
            _ => static _ => false,
        },
    };

    private static string VariableScaleDecimal(GenericRecord record) =>
        PgDecimalText.Format(PgNumberText.UnscaledFromBytes((byte[])record["value"]), (int)record["scale"]);
}
