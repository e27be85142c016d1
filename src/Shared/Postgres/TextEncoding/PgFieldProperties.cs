using System.Text.Json;
using System.Text.Json.Nodes;
using KafkaCdc.Shared.Avro;

namespace KafkaCdc.Shared.Postgres;

/// <summary>Reads <see cref="PgColumnProperties"/> from a field, tolerating absent or mistyped values (records of other producers).</summary>
internal static class PgFieldProperties
{
    public static string? String(AvroField field, string name) =>
        field.Properties.TryGetValue(name, out var node) && node is JsonValue value && value.GetValueKind() == JsonValueKind.String
            ? value.GetValue<string>()
            : null;

    public static int? Int(AvroField field, string name) =>
        field.Properties.TryGetValue(name, out var node) && node is JsonValue value && value.GetValueKind() == JsonValueKind.Number
            && value.TryGetValue<int>(out var number)
            ? number
            : null;

    public static bool? Boolean(AvroField field, string name) =>
        field.Properties.TryGetValue(name, out var node) && node is JsonValue value
            && value.GetValueKind() is JsonValueKind.True or JsonValueKind.False
            ? value.GetValue<bool>()
            : null;
}
