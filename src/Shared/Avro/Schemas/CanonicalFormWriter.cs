using System.Globalization;
using System.Text;

namespace KafkaCdc.Shared.Avro;

/// <summary>
/// Writes the Parsing Canonical Form: [PRIMITIVES] primitives as bare names, [FULLNAMES] full names for named
/// types, [STRIP] only <c>type</c>, <c>name</c>, <c>fields</c>, <c>symbols</c>, <c>items</c>, <c>values</c> and
/// <c>size</c>, [ORDER] in that order, [STRINGS] no escapes beyond what JSON demands, [INTEGERS] plain decimal
/// integers, [WHITESPACE] none. A named type is written out where first met and by full name afterwards.
/// </summary>
internal static class CanonicalFormWriter
{
    public static string Write(AvroSchema schema)
    {
        var text = new StringBuilder();
        Write(text, schema, new HashSet<string>(StringComparer.Ordinal));
        return text.ToString();
    }

    private static void Write(StringBuilder text, AvroSchema schema, HashSet<string> defined)
    {
        switch (schema)
        {
            case PrimitiveSchema primitive:
                String(text, PrimitiveSchema.TypeName(primitive.Type));
                break;
            case NamedSchema named when !defined.Add(named.FullName):
                String(text, named.FullName);
                break;
            case RecordSchema record:
                text.Append("{\"name\":");
                String(text, record.FullName);
                text.Append(",\"type\":\"record\",\"fields\":[");
                for (var i = 0; i < record.Fields.Count; i++)
                {
                    text.Append(i == 0 ? "{\"name\":" : ",{\"name\":");
                    String(text, record.Fields[i].Name);
                    text.Append(",\"type\":");
                    Write(text, record.Fields[i].Schema, defined);
                    text.Append('}');
                }

                text.Append("]}");
                break;
            case EnumSchema enumSchema:
                text.Append("{\"name\":");
                String(text, enumSchema.FullName);
                text.Append(",\"type\":\"enum\",\"symbols\":[");
                for (var i = 0; i < enumSchema.Symbols.Count; i++)
                {
                    if (i > 0)
                    {
                        text.Append(',');
                    }

                    String(text, enumSchema.Symbols[i]);
                }

                text.Append("]}");
                break;
            case FixedSchema fixedSchema:
                text.Append("{\"name\":");
                String(text, fixedSchema.FullName);
                text.Append(",\"type\":\"fixed\",\"size\":").Append(fixedSchema.Size.ToString(CultureInfo.InvariantCulture)).Append('}');
                break;
            case ArraySchema array:
                text.Append("{\"type\":\"array\",\"items\":");
                Write(text, array.Items, defined);
                text.Append('}');
                break;
            case MapSchema map:
                text.Append("{\"type\":\"map\",\"values\":");
                Write(text, map.Values, defined);
                text.Append('}');
                break;
            case UnionSchema union:
                text.Append('[');
                for (var i = 0; i < union.Branches.Count; i++)
                {
                    if (i > 0)
                    {
                        text.Append(',');
                    }

                    Write(text, union.Branches[i], defined);
                }

                text.Append(']');
                break;
        }
    }

    /// <summary>A JSON string literal escaping only what JSON requires (names are ASCII identifiers anyway).</summary>
    private static void String(StringBuilder text, string value)
    {
        text.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"':
                    text.Append("\\\"");
                    break;
                case '\\':
                    text.Append("\\\\");
                    break;
                case < ' ':
                    text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    break;
                default:
                    text.Append(c);
                    break;
            }
        }

        text.Append('"');
    }
}
