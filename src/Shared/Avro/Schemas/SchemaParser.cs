using System.Text.Json;
using System.Text.Json.Nodes;
using static KafkaCdc.Shared.Avro.SchemaAttributes;

namespace KafkaCdc.Shared.Avro;

/// <summary>
/// Parses schema JSON per the Avro 1.11 specification: primitive names and objects, named types with namespace
/// inheritance, references to named types defined earlier (also recursively, from inside the record being
/// defined), unions, logical types and custom properties. Errors name the type and field in words and carry the
/// JSON path.
/// </summary>
internal sealed class SchemaParser
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { AllowDuplicateProperties = false, MaxDepth = 256 };
    private static readonly HashSet<string> RecordAttributes = ["type", "name", "namespace", "doc", "aliases", "fields"];
    private static readonly HashSet<string> EnumAttributes = ["type", "name", "namespace", "doc", "aliases", "symbols", "default"];
    private static readonly HashSet<string> FixedAttributes = ["type", "name", "namespace", "doc", "aliases", "size"];
    private static readonly HashSet<string> FixedDecimalAttributes = [.. FixedAttributes, "logicalType", "precision", "scale"];
    private static readonly HashSet<string> ArrayAttributes = ["type", "items"];
    private static readonly HashSet<string> MapAttributes = ["type", "values"];
    private static readonly HashSet<string> FieldAttributes = ["name", "type", "doc", "default", "order", "aliases"];

    private readonly Dictionary<string, NamedSchema> _named = new(StringComparer.Ordinal);
    private readonly List<(AvroField Field, string Context, string Path)> _defaults = [];

    public static AvroSchema Parse(string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, DocumentOptions);
        }
        catch (JsonException e)
        {
            throw new AvroSchemaException($"schema is not valid JSON: {e.Message}", null, e);
        }

        using (document)
        {
            var parser = new SchemaParser();
            var schema = parser.ParseSchema(document.RootElement, null, "$", "");
            parser.CheckDefaults();
            return schema;
        }
    }

    private AvroSchema ParseSchema(JsonElement element, string? space, string path, string context)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return Resolve(element.GetString()!, space, path, context);
            case JsonValueKind.Array:
                return ParseUnion(element, space, path, context);
            case JsonValueKind.Object:
                return ParseObject(element, space, path, context);
            default:
                throw Fail(context, $"a schema is a type name, an object or an array (a union), not {Describe(element)}", path);
        }
    }

    private AvroSchema ParseObject(JsonElement element, string? space, string path, string context)
    {
        if (!element.TryGetProperty("type", out var typeElement))
        {
            throw Fail(context, "schema object has no 'type' attribute", path);
        }

        if (typeElement.ValueKind != JsonValueKind.String)
        {
            throw Fail(context, $"'type' must be a string naming a type, not {Describe(typeElement)} (a nested schema belongs in a field's 'type')", path + ".type");
        }

        var type = typeElement.GetString()!;
        return type switch
        {
            "null" or "boolean" or "int" or "long" or "float" or "double" or "bytes" or "string" =>
                ParsePrimitive(element, PrimitiveType(type), path, context),
            "record" => ParseRecord(element, space, path, context),
            "enum" => ParseEnum(element, space, path, context),
            "fixed" => ParseFixed(element, space, path, context),
            "array" => Wrap(
                () => new ArraySchema(
                    ParseSchema(Required(element, "items", path, context), space, path + ".items", Join(context, "array items")),
                    Properties(element, ArrayAttributes)),
                path,
                context),
            "map" => Wrap(
                () => new MapSchema(
                    ParseSchema(Required(element, "values", path, context), space, path + ".values", Join(context, "map values")),
                    Properties(element, MapAttributes)),
                path,
                context),
            // Like Java's parser, {"type": "Name"} refers to an already defined named type.
            _ => Resolve(type, space, path + ".type", context),
        };
    }

    private PrimitiveSchema ParsePrimitive(JsonElement element, AvroType type, string path, string context)
    {
        var logicalType = LogicalTypeOf(element, type, fixedSize: null);
        return Wrap(
            () => new PrimitiveSchema(type, logicalType, Properties(element, PrimitiveSchema.ReservedKeys(logicalType))),
            path,
            context);
    }

    private UnionSchema ParseUnion(JsonElement element, string? space, string path, string context)
    {
        var branches = new List<AvroSchema>();
        var index = 0;
        foreach (var item in element.EnumerateArray())
        {
            branches.Add(ParseSchema(item, space, $"{path}[{index}]", Join(context, $"union branch {index}")));
            index++;
        }

        return Wrap(() => new UnionSchema(branches), path, context);
    }

    private RecordSchema ParseRecord(JsonElement element, string? space, string path, string context)
    {
        var (name, ns) = NameOf(element, space, path, context, "record");
        var record = Wrap(
            () => new RecordSchema(name, ns, Doc(element, path, context), Aliases(element, path, context), SchemaProperties.From(Properties(element, RecordAttributes), RecordAttributes, "record")),
            path,
            context);
        Define(record, path, context);

        var recordContext = Join(context, $"record '{record.FullName}'");
        var fieldsElement = Required(element, "fields", path, recordContext);
        if (fieldsElement.ValueKind != JsonValueKind.Array)
        {
            throw Fail(recordContext, $"'fields' must be an array, not {Describe(fieldsElement)}", path + ".fields");
        }

        var fields = new List<AvroField>();
        var index = 0;
        foreach (var fieldElement in fieldsElement.EnumerateArray())
        {
            fields.Add(ParseField(fieldElement, record.Namespace, $"{path}.fields[{index}]", recordContext));
            index++;
        }

        Wrap(() => { record.SetFields(fields); return record; }, path, context);
        foreach (var field in record.Fields.Where(f => f.HasDefault))
        {
            _defaults.Add((field, $"{recordContext} field '{field.Name}'", $"{path}.fields[{field.Position}].default"));
        }

        return record;
    }

    private AvroField ParseField(JsonElement element, string? space, string path, string recordContext)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Fail(recordContext, $"a field must be an object, not {Describe(element)}", path);
        }

        var nameElement = Required(element, "name", path, recordContext);
        if (nameElement.ValueKind != JsonValueKind.String)
        {
            throw Fail(recordContext, $"field 'name' must be a string, not {Describe(nameElement)}", path + ".name");
        }

        var name = nameElement.GetString()!;
        var context = $"{recordContext} field '{name}'";
        var schema = ParseSchema(Required(element, "type", path, context), space, path + ".type", context);
        var order = AvroFieldOrder.Ascending;
        if (element.TryGetProperty("order", out var orderElement))
        {
            order = orderElement.ValueKind == JsonValueKind.String
                ? orderElement.GetString() switch
                {
                    "ascending" => AvroFieldOrder.Ascending,
                    "descending" => AvroFieldOrder.Descending,
                    "ignore" => AvroFieldOrder.Ignore,
                    var other => throw Fail(context, $"'order' must be ascending, descending or ignore, not '{other}'", path + ".order"),
                }
                : throw Fail(context, $"'order' must be a string, not {Describe(orderElement)}", path + ".order");
        }

        var field = Wrap(
            () => new AvroField(name, schema, Doc(element, path, context), order, StringArray(element, "aliases", path, context), Properties(element, FieldAttributes)),
            path,
            recordContext);
        return element.TryGetProperty("default", out var defaultElement) ? field.WithUncheckedDefault(ToNode(defaultElement)) : field;
    }

    private EnumSchema ParseEnum(JsonElement element, string? space, string path, string context)
    {
        var (name, ns) = NameOf(element, space, path, context, "enum");
        var symbolsElement = Required(element, "symbols", path, context);
        if (symbolsElement.ValueKind != JsonValueKind.Array || symbolsElement.EnumerateArray().Any(s => s.ValueKind != JsonValueKind.String))
        {
            throw Fail(Join(context, $"enum '{AvroNames.FullName(name, ns)}'"), "'symbols' must be an array of strings", path + ".symbols");
        }

        string? defaultSymbol = null;
        if (element.TryGetProperty("default", out var defaultElement))
        {
            defaultSymbol = defaultElement.ValueKind == JsonValueKind.String
                ? defaultElement.GetString()
                : throw Fail(Join(context, $"enum '{AvroNames.FullName(name, ns)}'"), "'default' must be a symbol string", path + ".default");
        }

        var symbols = symbolsElement.EnumerateArray().Select(s => s.GetString()!).ToList();
        var schema = Wrap(
            () => new EnumSchema(name, ns, symbols, defaultSymbol, Doc(element, path, context), Aliases(element, path, context), Properties(element, EnumAttributes)),
            path,
            context);
        Define(schema, path, context);
        return schema;
    }

    private FixedSchema ParseFixed(JsonElement element, string? space, string path, string context)
    {
        var (name, ns) = NameOf(element, space, path, context, "fixed");
        var sizeElement = Required(element, "size", path, context);
        if (sizeElement.ValueKind != JsonValueKind.Number || !sizeElement.TryGetInt32(out var size) || size < 0)
        {
            throw Fail(Join(context, $"fixed '{AvroNames.FullName(name, ns)}'"), $"'size' must be a non-negative integer, not {sizeElement.GetRawText()}", path + ".size");
        }

        var logicalType = LogicalTypeOf(element, AvroType.Fixed, size) as DecimalLogicalType;
        var reserved = logicalType is null ? FixedAttributes : FixedDecimalAttributes;
        var schema = Wrap(
            () => new FixedSchema(name, ns, size, logicalType, Doc(element, path, context), Aliases(element, path, context), Properties(element, reserved)),
            path,
            context);
        Define(schema, path, context);
        return schema;
    }

    private AvroSchema Resolve(string name, string? space, string path, string context)
    {
        var primitive = name switch
        {
            "null" => AvroSchema.Null,
            "boolean" => AvroSchema.Boolean,
            "int" => AvroSchema.Int,
            "long" => AvroSchema.Long,
            "float" => AvroSchema.Float,
            "double" => AvroSchema.Double,
            "bytes" => AvroSchema.Bytes,
            "string" => AvroSchema.String,
            _ => (AvroSchema?)null,
        };
        if (primitive is not null)
        {
            return primitive;
        }

        // An undotted name is relative to the enclosing namespace; like Java, fall back to the null namespace.
        if (_named.TryGetValue(AvroNames.Qualify(name, space), out var named) || _named.TryGetValue(name, out named))
        {
            return named;
        }

        var hint = name is "record" or "enum" or "fixed" or "array" or "map"
            ? $" ('{name}' needs an object: {{\"type\": \"{name}\", ...}})"
            : "";
        throw Fail(context, $"unknown type '{name}'{hint}", path);
    }

    private (string Name, string? Namespace) NameOf(JsonElement element, string? space, string path, string context, string kind)
    {
        var nameElement = Required(element, "name", path, Join(context, kind));
        if (nameElement.ValueKind != JsonValueKind.String)
        {
            throw Fail(Join(context, kind), $"'name' must be a string, not {Describe(nameElement)}", path + ".name");
        }

        var name = nameElement.GetString()!;
        var ns = space;
        if (element.TryGetProperty("namespace", out var nsElement))
        {
            ns = nsElement.ValueKind switch
            {
                JsonValueKind.String => nsElement.GetString(),
                JsonValueKind.Null => null,
                _ => throw Fail(Join(context, $"{kind} '{name}'"), $"'namespace' must be a string, not {Describe(nsElement)}", path + ".namespace"),
            };
        }

        try
        {
            var resolved = AvroNames.Resolve(name, ns, kind);
            return (resolved.Name, resolved.Namespace);
        }
        catch (AvroSchemaException e)
        {
            throw Fail(context, e.Message, path + ".name", e);
        }
    }

    private void Define(NamedSchema schema, string path, string context)
    {
        if (!_named.TryAdd(schema.FullName, schema))
        {
            throw Fail(context, $"'{schema.FullName}' is already defined; a named type may be defined only once (refer to it by name)", path);
        }
    }

    private void CheckDefaults()
    {
        foreach (var (field, context, path) in _defaults)
        {
            try
            {
                DefaultValueValidator.Check(field.Schema, field.DefaultNode, context);
            }
            catch (AvroSchemaException e)
            {
                throw new AvroSchemaException(e.Message, path, e);
            }
        }
    }
}
