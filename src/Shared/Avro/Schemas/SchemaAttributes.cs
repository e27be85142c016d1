using System.Text.Json;
using System.Text.Json.Nodes;

namespace KafkaCdc.Shared.Avro;

/// <summary>Reads the attributes of schema JSON objects for <see cref="SchemaParser"/>, turning wrong shapes into errors with context and JSON path.</summary>
internal static class SchemaAttributes
{
    /// <summary>
    /// The logical type the attributes describe, or <see langword="null"/> when there is none or it is unknown,
    /// on the wrong type or has invalid parameters: the specification says to read such schemas as their
    /// underlying type, and the attributes then stay as properties.
    /// </summary>
    internal static LogicalType? LogicalTypeOf(JsonElement element, AvroType type, int? fixedSize)
    {
        if (!element.TryGetProperty("logicalType", out var nameElement) || nameElement.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        var name = nameElement.GetString()!;
        if (name != "decimal")
        {
            var simple = LogicalType.FindSimple(name);
            return simple is not null && simple.UnderlyingType == type ? simple : null;
        }

        if (type is not (AvroType.Bytes or AvroType.Fixed)
            || !element.TryGetProperty("precision", out var precisionElement)
            || precisionElement.ValueKind != JsonValueKind.Number
            || !precisionElement.TryGetInt32(out var precision)
            || precision < 1)
        {
            return null;
        }

        var scale = 0;
        if (element.TryGetProperty("scale", out var scaleElement)
            && (scaleElement.ValueKind != JsonValueKind.Number || !scaleElement.TryGetInt32(out scale)))
        {
            return null;
        }

        if (scale < 0 || scale > precision)
        {
            return null;
        }

        if (fixedSize is { } size && precision > DecimalLogicalType.MaxPrecisionForFixedSize(size))
        {
            return null;
        }

        return new DecimalLogicalType(precision, scale);
    }

    internal static string? Doc(JsonElement element, string path, string context) =>
        !element.TryGetProperty("doc", out var doc) ? null
        : doc.ValueKind == JsonValueKind.String ? doc.GetString()
        : throw Fail(context, $"'doc' must be a string, not {Describe(doc)}", path + ".doc");

    internal static List<string>? Aliases(JsonElement element, string path, string context) =>
        StringArray(element, "aliases", path, context);

    internal static List<string>? StringArray(JsonElement element, string attribute, string path, string context)
    {
        if (!element.TryGetProperty(attribute, out var array))
        {
            return null;
        }

        if (array.ValueKind != JsonValueKind.Array || array.EnumerateArray().Any(a => a.ValueKind != JsonValueKind.String))
        {
            throw Fail(context, $"'{attribute}' must be an array of strings", $"{path}.{attribute}");
        }

        return [.. array.EnumerateArray().Select(a => a.GetString()!)];
    }

    internal static List<KeyValuePair<string, JsonNode?>> Properties(JsonElement element, ISet<string> reserved) =>
        [.. element.EnumerateObject().Where(p => !reserved.Contains(p.Name)).Select(p => KeyValuePair.Create(p.Name, ToNode(p.Value)))];

    internal static JsonNode? ToNode(JsonElement element) => JsonNode.Parse(element.GetRawText());

    internal static JsonElement Required(JsonElement element, string attribute, string path, string context) =>
        element.TryGetProperty(attribute, out var value)
            ? value
            : throw Fail(context, $"missing required attribute '{attribute}'", path);

    internal static AvroType PrimitiveType(string name) => name switch
    {
        "null" => AvroType.Null,
        "boolean" => AvroType.Boolean,
        "int" => AvroType.Int,
        "long" => AvroType.Long,
        "float" => AvroType.Float,
        "double" => AvroType.Double,
        "bytes" => AvroType.Bytes,
        _ => AvroType.String,
    };

    /// <summary>Runs a constructor, giving its error the context and JSON path it lacks.</summary>
    internal static T Wrap<T>(Func<T> construct, string path, string context)
    {
        try
        {
            return construct();
        }
        catch (AvroSchemaException e) when (e.JsonPath is null)
        {
            throw Fail(context, e.Message, path, e);
        }
    }

    internal static string Join(string context, string part) => context.Length == 0 ? part : $"{context} {part}";

    internal static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => $"the string \"{element.GetString()}\"",
        JsonValueKind.Number => $"the number {element.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => element.GetRawText(),
        _ => "null",
    };

    internal static AvroSchemaException Fail(string context, string problem, string path, Exception? inner = null) =>
        new(context.Length == 0 ? problem : $"{context}: {problem}", path, inner);
}
