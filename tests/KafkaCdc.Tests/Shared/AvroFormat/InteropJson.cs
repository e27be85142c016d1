using System.Buffers.Binary;
using System.Collections;
using System.Text.Json.Nodes;
using Avro;
using Avro.Generic;
using KafkaCdc.Shared.Postgres;

namespace KafkaCdc.Tests.Shared.AvroFormat;

/// <summary>
/// The JSON rendering the interop tests compare, the same as <c>avro_interop.py</c>'s <c>render</c>: unions as
/// <c>{"branch": value}</c> (full name for named types, the type name otherwise, the base type's for logical types),
/// decimals as exact plain text, dates as days since 1970, times and timestamps as their encoded integer, floats and
/// doubles as the hex of their big-endian bits, bytes and fixed as hex. Accepts datums both raw (as KafkaCdc writes
/// them) and converted (as Apache.Avro and Confluent's deserializer give them: DateTime, TimeSpan, Guid).
/// </summary>
internal static class InteropJson
{
    static readonly DateTime s_epoch = new(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    public static JsonNode? Render(Schema schema, object? datum)
    {
        switch (schema)
        {
            case UnionSchema union:
                if (datum is null) return null;
                var branch = union.Schemas.FirstOrDefault(b => b.Tag != Schema.Type.Null && Matches(b, datum))
                    ?? throw new InvalidOperationException($"no branch of {union} holds a {datum.GetType().Name}");
                return new JsonObject { [BranchName(branch)] = Render(branch, datum) };
            case LogicalSchema logical:
                return logical.LogicalTypeName switch
                {
                    "decimal" => PgDecimalText.Format((AvroDecimal)datum!),
                    "date" => datum is DateTime day ? (int)(day.Date - s_epoch.Date).TotalDays : (int)datum!,
                    "time-micros" => datum is TimeSpan time ? time.Ticks / 10 : (long)datum!,
                    "time-millis" => datum is TimeSpan time ? (int)(time.Ticks / 10_000) : (int)datum!,
                    "timestamp-micros" or "local-timestamp-micros" => datum is DateTime instant ? (Utc(instant) - s_epoch).Ticks / 10 : (long)datum!,
                    "timestamp-millis" or "local-timestamp-millis" => datum is DateTime instant ? (Utc(instant) - s_epoch).Ticks / 10_000 : (long)datum!,
                    "uuid" => datum is Guid guid ? guid.ToString() : (string)datum!,
                    _ => Render(logical.BaseSchema, datum),
                };
            case RecordSchema record:
                var fields = new JsonObject();
                var value = (GenericRecord)datum!;
                foreach (var field in record.Fields) fields[field.Name] = Render(field.Schema, value.GetValue(field.Pos));
                return fields;
            case ArraySchema array:
                return new JsonArray([.. ((IList)datum!).Cast<object?>().Select(item => Render(array.ItemSchema, item))]);
            case MapSchema map:
                var entries = new JsonObject();
                foreach (DictionaryEntry entry in (IDictionary)datum!) entries[(string)entry.Key] = Render(map.ValueSchema, entry.Value);
                return entries;
            case EnumSchema:
                return datum is GenericEnum symbol ? symbol.Value : (string)datum!;
            case FixedSchema:
                return Convert.ToHexStringLower(datum is GenericFixed fixedValue ? fixedValue.Value : (byte[])datum!);
        }

        return schema.Tag switch
        {
            Schema.Type.Null => null,
            Schema.Type.Boolean => (bool)datum!,
            Schema.Type.Int => (int)datum!,
            Schema.Type.Long => (long)datum!,
            Schema.Type.Float => Hex(BitConverter.SingleToInt32Bits((float)datum!)),
            Schema.Type.Double => Hex(BitConverter.DoubleToInt64Bits((double)datum!)),
            Schema.Type.Bytes => Convert.ToHexStringLower((byte[])datum!),
            Schema.Type.String => (string)datum!,
            _ => throw new ArgumentException($"cannot render {schema}"),
        };
    }

    // Apache.Avro turns local-timestamp-* into the machine's local time; back to the wall clock it was written as.
    static DateTime Utc(DateTime value) => value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : DateTime.SpecifyKind(value, DateTimeKind.Utc);

    static string Hex(int bits)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(bytes, bits);
        return Convert.ToHexStringLower(bytes);
    }

    static string Hex(long bits)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, bits);
        return Convert.ToHexStringLower(bytes);
    }

    static string BranchName(Schema branch) => branch switch
    {
        NamedSchema named => named.Fullname,
        LogicalSchema logical => Schema.GetTypeString(logical.BaseSchema.Tag),
        _ => Schema.GetTypeString(branch.Tag),
    };

    static bool Matches(Schema branch, object datum) => branch switch
    {
        LogicalSchema logical => logical.LogicalType.IsInstanceOfLogicalType(datum) || Matches(logical.BaseSchema, datum),
        RecordSchema record => datum is GenericRecord r && r.Schema.Fullname == record.Fullname,
        EnumSchema => datum is GenericEnum or string,
        FixedSchema => datum is GenericFixed or byte[],
        ArraySchema => datum is IList and not byte[],
        MapSchema => datum is IDictionary,
        _ => branch.Tag switch
        {
            Schema.Type.Boolean => datum is bool,
            Schema.Type.Int => datum is int,
            Schema.Type.Long => datum is long,
            Schema.Type.Float => datum is float,
            Schema.Type.Double => datum is double,
            Schema.Type.Bytes => datum is byte[],
            Schema.Type.String => datum is string,
            _ => false,
        },
    };
}
