using System.Text.Json;
using System.Text.Json.Nodes;

namespace KafkaCdc.Shared.Avro;

/// <summary>
/// Checks a field default against its schema, using the JSON encoding the specification gives for defaults:
/// bytes and fixed as strings of code points 0–255, records as objects, a union's default as a value of its
/// first branch (Avro 1.11).
/// </summary>
internal static class DefaultValueValidator
{
    public static void Check(AvroSchema schema, JsonNode? value, string owner)
    {
        var problem = Problem(schema, value, "");
        if (problem is not null)
        {
            throw new AvroSchemaException($"{owner}: invalid default {Render(value)}: {problem}");
        }
    }

    /// <summary>Why <paramref name="value"/> is not a valid default of <paramref name="schema"/>, or <see langword="null"/> when it is.</summary>
    private static string? Problem(AvroSchema schema, JsonNode? value, string at)
    {
        var kind = value?.GetValueKind() ?? JsonValueKind.Null;
        var where = at.Length == 0 ? "" : $" at {at}";
        string Expected(string what) => $"expected {what} for {schema.Describe()}{where}";

        switch (schema)
        {
            case { Type: AvroType.Null }:
                return kind == JsonValueKind.Null ? null : Expected("null");
            case { Type: AvroType.Boolean }:
                return kind is JsonValueKind.True or JsonValueKind.False ? null : Expected("true or false");
            case { Type: AvroType.Int }:
                return kind == JsonValueKind.Number && value!.AsValue().TryGetValue<int>(out _) ? null : Expected("an integer in int range");
            case { Type: AvroType.Long }:
                return kind == JsonValueKind.Number && value!.AsValue().TryGetValue<long>(out _) ? null : Expected("an integer in long range");
            case { Type: AvroType.Float or AvroType.Double }:
                return kind == JsonValueKind.Number || IsNonFiniteName(value, kind) ? null : Expected("a number");
            case { Type: AvroType.String }:
                return kind == JsonValueKind.String ? null : Expected("a string");
            case { Type: AvroType.Bytes }:
                return IsByteString(value, kind, -1) ? null : Expected("a string of code points 0-255");
            case FixedSchema fixedSchema:
                return IsByteString(value, kind, fixedSchema.Size) ? null : Expected($"a string of {fixedSchema.Size} code points 0-255");
            case EnumSchema enumSchema:
                return kind == JsonValueKind.String && enumSchema.IndexOf(value!.GetValue<string>()) >= 0 ? null : Expected("one of its symbols");
            case ArraySchema array:
                if (kind != JsonValueKind.Array)
                {
                    return Expected("an array");
                }

                var items = value!.AsArray();
                for (var i = 0; i < items.Count; i++)
                {
                    var problem = Problem(array.Items, items[i], $"{at}[{i}]");
                    if (problem is not null)
                    {
                        return problem;
                    }
                }

                return null;
            case MapSchema map:
                if (kind != JsonValueKind.Object)
                {
                    return Expected("an object");
                }

                foreach (var (key, item) in value!.AsObject())
                {
                    var problem = Problem(map.Values, item, $"{at}[\"{key}\"]");
                    if (problem is not null)
                    {
                        return problem;
                    }
                }

                return null;
            case UnionSchema union:
                return union.Branches.Count == 0 ? $"an empty union has no values{where}" : Problem(union.Branches[0], value, at);
            case RecordSchema record:
                if (kind != JsonValueKind.Object)
                {
                    return Expected("an object");
                }

                var fields = value!.AsObject();
                foreach (var field in record.Fields)
                {
                    var path = at.Length == 0 ? field.Name : $"{at}.{field.Name}";
                    if (fields.TryGetPropertyValue(field.Name, out var fieldValue))
                    {
                        var problem = Problem(field.Schema, fieldValue, path);
                        if (problem is not null)
                        {
                            return problem;
                        }
                    }
                    else if (!field.HasDefault)
                    {
                        return $"field {path} is missing and has no default";
                    }
                }

                return null;
            default:
                return Expected("a value");
        }
    }

    private static bool IsNonFiniteName(JsonNode? value, JsonValueKind kind) =>
        kind == JsonValueKind.String && value!.GetValue<string>() is "NaN" or "Infinity" or "-Infinity";

    private static bool IsByteString(JsonNode? value, JsonValueKind kind, int size)
    {
        if (kind != JsonValueKind.String)
        {
            return false;
        }

        var text = value!.GetValue<string>();
        return (size < 0 || text.Length == size) && text.All(c => c <= '\u00ff');
    }

    private static string Render(JsonNode? value) => value?.ToJsonString() ?? "null";
}
