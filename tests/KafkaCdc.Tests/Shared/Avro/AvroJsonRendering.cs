using System.Buffers.Binary;
using System.Collections;
using System.Text.Json.Nodes;
using KafkaCdc.Shared.Avro;

namespace KafkaCdc.Tests.Shared.Avro;

/// <summary>
/// Renders generic datums as JSON the way avro_interop.py does (see its docstring), so that values from both
/// implementations compare field by field: bytes/fixed as hex, floats as the hex of their IEEE bits, decimals as
/// plain strings, unions as <c>{"branch": value}</c>.
/// </summary>
internal static class AvroJsonRendering
{
    public static JsonNode? Render(AvroSchema schema, object? value)
    {
        switch (schema)
        {
            case UnionSchema union:
                if (value is null)
                {
                    return null;
                }

                var branch = union.Branches.First(b => b.Type != AvroType.Null && Fits(b, value));
                return new JsonObject { [BranchName(branch)] = Render(branch, value) };
            case RecordSchema record:
                var genericRecord = (GenericRecord)value!;
                var obj = new JsonObject();
                foreach (var field in record.Fields)
                {
                    obj[field.Name] = Render(field.Schema, genericRecord[field.Position]);
                }

                return obj;
            case ArraySchema array:
                return new JsonArray([.. ((IList)value!).Cast<object?>().Select(v => Render(array.Items, v))]);
            case MapSchema map:
                var mapObject = new JsonObject();
                foreach (var (key, item) in (Dictionary<string, object?>)value!)
                {
                    mapObject[key] = Render(map.Values, item);
                }

                return mapObject;
            case { LogicalType: DecimalLogicalType }:
                return ((AvroDecimal)value!).ToString();
            case EnumSchema:
                return ((GenericEnum)value!).Symbol;
            case FixedSchema:
                return Convert.ToHexString(((GenericFixed)value!).Value).ToLowerInvariant();
            case { Type: AvroType.Bytes }:
                return Convert.ToHexString((byte[])value!).ToLowerInvariant();
            case { Type: AvroType.Float }:
                var floatBits = new byte[4];
                BinaryPrimitives.WriteSingleBigEndian(floatBits, (float)value!);
                return Convert.ToHexString(floatBits).ToLowerInvariant();
            case { Type: AvroType.Double }:
                var doubleBits = new byte[8];
                BinaryPrimitives.WriteDoubleBigEndian(doubleBits, (double)value!);
                return Convert.ToHexString(doubleBits).ToLowerInvariant();
            case { Type: AvroType.Null }:
                return null;
            default:
                return value switch
                {
                    int i => JsonValue.Create(i),
                    long l => JsonValue.Create(l),
                    bool b => JsonValue.Create(b),
                    string text => JsonValue.Create(text),
                    _ => throw new ArgumentException($"no rendering for {value?.GetType().Name} as {schema}"),
                };
        }
    }

    private static string BranchName(AvroSchema branch) =>
        branch is NamedSchema named ? named.FullName : branch.Type.ToString().ToLowerInvariant();

    private static bool Fits(AvroSchema branch, object value) => (branch, value) switch
    {
        (NamedSchema named, GenericRecord record) => record.Schema.FullName == named.FullName,
        (NamedSchema named, GenericEnum symbol) => symbol.Schema.FullName == named.FullName,
        (NamedSchema named, GenericFixed fixedValue) => fixedValue.Schema.FullName == named.FullName,
        ({ LogicalType: DecimalLogicalType }, AvroDecimal) => true,
        ({ Type: AvroType.String }, string) => true,
        ({ Type: AvroType.Long }, long) => true,
        ({ Type: AvroType.Int }, int) => true,
        ({ Type: AvroType.Boolean }, bool) => true,
        ({ Type: AvroType.Double }, double) => true,
        ({ Type: AvroType.Float }, float) => true,
        ({ Type: AvroType.Bytes }, byte[]) => true,
        ({ Type: AvroType.Array }, IList) => true,
        ({ Type: AvroType.Map }, IDictionary) => true,
        _ => false,
    };
}
