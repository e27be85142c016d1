using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace KafkaCdc.Shared.Avro;

/// <summary>
/// Writes the full JSON form of a schema, deterministically: a fixed attribute order per type, custom properties
/// (and keys of JSON objects inside them and inside defaults) sorted ordinally, compact, minimal escaping. A named
/// type is defined where first met — with a <c>namespace</c> attribute only when it differs from the enclosing
/// one — and referred to afterwards by its short name inside its own namespace, by full name elsewhere.
/// </summary>
internal sealed class SchemaJsonWriter
{
    private static readonly JsonWriterOptions Options = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
    };

    private readonly Utf8JsonWriter _writer;
    private readonly HashSet<string> _defined = new(StringComparer.Ordinal);

    private SchemaJsonWriter(Utf8JsonWriter writer) => _writer = writer;

    public static string Write(AvroSchema schema)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            new SchemaJsonWriter(writer).WriteSchema(schema, null);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private void WriteSchema(AvroSchema schema, string? space)
    {
        switch (schema)
        {
            case PrimitiveSchema primitive when primitive.LogicalType is null && primitive.PropertyMap.Count == 0:
                _writer.WriteStringValue(PrimitiveSchema.TypeName(primitive.Type));
                break;
            case PrimitiveSchema primitive:
                _writer.WriteStartObject();
                _writer.WriteString("type", PrimitiveSchema.TypeName(primitive.Type));
                WriteLogicalType(primitive.LogicalType);
                WriteProperties(primitive.PropertyMap);
                _writer.WriteEndObject();
                break;
            case NamedSchema named when !_defined.Add(named.FullName):
                _writer.WriteStringValue(named.Namespace == space ? named.Name : named.FullName);
                break;
            case NamedSchema named:
                WriteNamed(named, space);
                break;
            case ArraySchema array:
                _writer.WriteStartObject();
                _writer.WriteString("type", "array");
                _writer.WritePropertyName("items");
                WriteSchema(array.Items, space);
                WriteProperties(array.PropertyMap);
                _writer.WriteEndObject();
                break;
            case MapSchema map:
                _writer.WriteStartObject();
                _writer.WriteString("type", "map");
                _writer.WritePropertyName("values");
                WriteSchema(map.Values, space);
                WriteProperties(map.PropertyMap);
                _writer.WriteEndObject();
                break;
            case UnionSchema union:
                _writer.WriteStartArray();
                foreach (var branch in union.Branches)
                {
                    WriteSchema(branch, space);
                }

                _writer.WriteEndArray();
                break;
        }
    }

    private void WriteNamed(NamedSchema named, string? space)
    {
        _writer.WriteStartObject();
        _writer.WriteString("type", PrimitiveSchema.TypeName(named.Type));
        _writer.WriteString("name", named.Name);
        if (named.Namespace != space)
        {
            // An empty namespace leaves an enclosing one for the null namespace.
            _writer.WriteString("namespace", named.Namespace ?? "");
        }

        if (named.Doc is not null)
        {
            _writer.WriteString("doc", named.Doc);
        }

        if (named.Aliases.Count > 0)
        {
            WriteStrings("aliases", named.Aliases);
        }

        switch (named)
        {
            case RecordSchema record:
                _writer.WriteStartArray("fields");
                foreach (var field in record.Fields)
                {
                    WriteField(field, record.Namespace);
                }

                _writer.WriteEndArray();
                break;
            case EnumSchema enumSchema:
                WriteStrings("symbols", enumSchema.Symbols);
                if (enumSchema.Default is not null)
                {
                    _writer.WriteString("default", enumSchema.Default);
                }

                break;
            case FixedSchema fixedSchema:
                _writer.WriteNumber("size", fixedSchema.Size);
                WriteLogicalType(fixedSchema.LogicalType);
                break;
        }

        WriteProperties(named.PropertyMap);
        _writer.WriteEndObject();
    }

    private void WriteField(AvroField field, string? space)
    {
        _writer.WriteStartObject();
        _writer.WriteString("name", field.Name);
        _writer.WritePropertyName("type");
        WriteSchema(field.Schema, space);
        if (field.Doc is not null)
        {
            _writer.WriteString("doc", field.Doc);
        }

        if (field.HasDefault)
        {
            _writer.WritePropertyName("default");
            WriteNode(field.DefaultNode);
        }

        if (field.Order != AvroFieldOrder.Ascending)
        {
            _writer.WriteString("order", field.Order == AvroFieldOrder.Descending ? "descending" : "ignore");
        }

        if (field.Aliases.Count > 0)
        {
            WriteStrings("aliases", field.Aliases);
        }

        WriteProperties(field.PropertyMap);
        _writer.WriteEndObject();
    }

    private void WriteLogicalType(LogicalType? logicalType)
    {
        if (logicalType is null)
        {
            return;
        }

        _writer.WriteString("logicalType", logicalType.Name);
        if (logicalType is DecimalLogicalType decimalType)
        {
            _writer.WriteNumber("precision", decimalType.Precision);
            _writer.WriteNumber("scale", decimalType.Scale);
        }
    }

    private void WriteStrings(string name, IReadOnlyList<string> values)
    {
        _writer.WriteStartArray(name);
        foreach (var value in values)
        {
            _writer.WriteStringValue(value);
        }

        _writer.WriteEndArray();
    }

    private void WriteProperties(SchemaProperties properties)
    {
        foreach (var (key, value) in properties.Entries)
        {
            _writer.WritePropertyName(key);
            WriteNode(value);
        }
    }

    /// <summary>Writes a JSON value with object keys sorted, so that equal values always give the same text.</summary>
    private void WriteNode(JsonNode? node)
    {
        switch (node)
        {
            case null:
                _writer.WriteNullValue();
                break;
            case JsonObject obj:
                _writer.WriteStartObject();
                foreach (var (key, value) in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    _writer.WritePropertyName(key);
                    WriteNode(value);
                }

                _writer.WriteEndObject();
                break;
            case JsonArray array:
                _writer.WriteStartArray();
                foreach (var item in array)
                {
                    WriteNode(item);
                }

                _writer.WriteEndArray();
                break;
            default:
                node.WriteTo(_writer);
                break;
        }
    }
}
