using System.Collections;
using System.Globalization;
using KafkaCdc.Shared.Avro;

namespace KafkaCdc.Shared.Postgres;

/// <summary>
/// Compiles the function from an Avro datum of a schema to PostgreSQL text input: the inverse of
/// <see cref="PgScalarMapping"/> and <see cref="PgArrayDecoding"/>, driven by the Avro schema alone (plus the
/// <c>bytea</c> string encoding and the array delimiter), so it also serves records of other producers.
/// </summary>
internal static class PgDatumEncoding
{
    /// <summary>The encoder of non-null datums of <paramref name="schema"/>; a union picks the branch by the datum's runtime type.</summary>
    /// <param name="schema">The field's schema.</param>
    /// <param name="binaryEncoding"><c>base64</c> or <c>hex</c> when string values hold <c>bytea</c> (the <c>kafkacdc.encoding</c> property), else null.</param>
    /// <param name="delimiter">The array element delimiter.</param>
    public static Func<object, string> Compile(AvroSchema schema, string? binaryEncoding, char delimiter)
    {
        if (schema is not UnionSchema union)
        {
            return Branch(schema, binaryEncoding, delimiter);
        }

        var branches = union.Branches.Where(b => b.Type != AvroType.Null).ToArray();
        if (branches.Length == 1)
        {
            return Branch(branches[0], binaryEncoding, delimiter);
        }

        // Next to an array, the string branch holds an array literal as PostgreSQL wrote it, never base64 or hex.
        var hasArray = branches.Any(b => b is ArraySchema);
        var choices = branches
            .Select(b => (Accepts: Accepts(b), Encode: Branch(b, hasArray && b.Type == AvroType.String ? null : binaryEncoding, delimiter)))
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

            throw new InvalidCastException($"no branch of {union.ToJson()} holds a {value.GetType().Name}");
        };
    }

    private static Func<object, string> Branch(AvroSchema schema, string? binaryEncoding, char delimiter)
    {
        switch (schema)
        {
            case { LogicalType: DecimalLogicalType }:
                return static v => ((AvroDecimal)v).ToString();
            case ArraySchema array:
                var leaf = array.Items;
                while (Unwrap(leaf) is ArraySchema nested)
                {
                    leaf = nested.Items;
                }

                var element = Compile(leaf, binaryEncoding, delimiter);
                return v => PgArrayLiteral.Format((IList)v, delimiter, element);
            case RecordSchema record when record.FullName == ChangeEventSchemas.VariableScaleDecimal.FullName:
                return static v => VariableScaleDecimal((GenericRecord)v);
            case RecordSchema or MapSchema:
                return static v => PgJsonText.Write(v);
            case EnumSchema:
                return static v => v is GenericEnum symbol ? symbol.Symbol : (string)v;
            case FixedSchema:
                return static v => PgByteaText.Format(v is GenericFixed fixedValue ? fixedValue.Value : (byte[])v);
        }

        var kind = schema.LogicalType?.Kind;
        return schema.Type switch
        {
            AvroType.Boolean => static v => (bool)v ? "t" : "f",
            AvroType.Int => kind switch
            {
                LogicalTypeKind.Date => static v => PgDateTimeText.FormatDate((int)v),
                LogicalTypeKind.TimeMillis => static v => PgDateTimeText.FormatTime((int)v * 1000L),
                _ => static v => ((int)v).ToString(CultureInfo.InvariantCulture),
            },
            AvroType.Long => kind switch
            {
                LogicalTypeKind.TimeMicros => static v => PgDateTimeText.FormatTime((long)v),
                LogicalTypeKind.TimestampMicros => static v => PgDateTimeText.FormatTimestamp((long)v, withTimeZone: true),
                LogicalTypeKind.TimestampMillis => static v => PgDateTimeText.FormatTimestamp(MillisToMicros((long)v), withTimeZone: true),
                LogicalTypeKind.LocalTimestampMicros => static v => PgDateTimeText.FormatTimestamp((long)v, withTimeZone: false),
                LogicalTypeKind.LocalTimestampMillis => static v => PgDateTimeText.FormatTimestamp(MillisToMicros((long)v), withTimeZone: false),
                _ => static v => ((long)v).ToString(CultureInfo.InvariantCulture),
            },
            AvroType.Float => static v => PgNumberText.FormatFloat4((float)v),
            AvroType.Double => static v => PgNumberText.FormatFloat8((double)v),
            AvroType.Bytes => static v => PgByteaText.Format((byte[])v),
            AvroType.String => binaryEncoding switch
            {
                "base64" => static v => PgByteaText.Format(Convert.FromBase64String((string)v)),
                "hex" => static v => PgByteaText.Format(Convert.FromHexString((string)v)),
                _ => static v => (string)v,
            },
            _ => throw new ArgumentException($"no text form for Avro {schema.ToJson()}", nameof(schema)),
        };
    }

    /// <summary>Whether a datum of the reader's generic representation belongs to <paramref name="branch"/>.</summary>
    private static Func<object, bool> Accepts(AvroSchema branch) => branch switch
    {
        { LogicalType: DecimalLogicalType } => static v => v is AvroDecimal,
        RecordSchema record => v => v is GenericRecord r && r.Schema.FullName == record.FullName,
        EnumSchema enumSchema => v => v is GenericEnum e && e.Schema.FullName == enumSchema.FullName,
        FixedSchema fixedSchema => v => v is GenericFixed f && f.Schema.FullName == fixedSchema.FullName,
        ArraySchema => static v => v is IList and not byte[],
        MapSchema => static v => v is IDictionary,
        _ => branch.Type switch
        {
            AvroType.Boolean => static v => v is bool,
            AvroType.Int => static v => v is int,
            AvroType.Long => static v => v is long,
            AvroType.Float => static v => v is float,
            AvroType.Double => static v => v is double,
            AvroType.Bytes => static v => v is byte[],
            AvroType.String => static v => v is string,
            _ => static _ => false,
        },
    };

    private static AvroSchema Unwrap(AvroSchema schema) =>
        schema is UnionSchema union && union.Branches.Count(b => b.Type != AvroType.Null) == 1
            ? union.Branches.First(b => b.Type != AvroType.Null)
            : schema;

    private static string VariableScaleDecimal(GenericRecord record) =>
        new AvroDecimal(PgNumberText.UnscaledFromBytes((byte[])record["value"]!), (int)record["scale"]!).ToString();

    private static long MillisToMicros(long millis) => millis switch
    {
        PgDateTimeText.TimestampInfinity or PgDateTimeText.TimestampMinusInfinity => millis,
        _ => checked(millis * 1000),
    };
}
