using System.Collections;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Avro;
using Avro.Generic;

namespace KafkaCdc.Shared.Postgres;

/// <summary>JSON text of records and maps from other producers, for <c>jsonb</c> columns.</summary>
internal static class PgJsonText
{
    /// <summary>The datum as JSON: records and maps as objects, arrays as arrays, bytes as base64, decimals as numbers, non-finite floats as strings.</summary>
    public static string Write(object value)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            Write(writer, value);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void Write(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case string text:
                writer.WriteStringValue(text);
                break;
            case bool flag:
                writer.WriteBooleanValue(flag);
                break;
            case int or long:
                writer.WriteRawValue(Convert.ToString(value, CultureInfo.InvariantCulture)!);
                break;
            case float f when float.IsFinite(f):
                writer.WriteNumberValue(f);
                break;
            case double d when double.IsFinite(d):
                writer.WriteNumberValue(d);
                break;
            case float or double:
                writer.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
            case AvroDecimal number:
                writer.WriteRawValue(PgDecimalText.Format(number));
                break;
            case byte[] bytes:
                writer.WriteBase64StringValue(bytes);
                break;
            case GenericFixed fixedValue:
                writer.WriteBase64StringValue(fixedValue.Value);
                break;
            case GenericEnum symbol:
                writer.WriteStringValue(symbol.Value);
                break;
            case GenericRecord record:
                writer.WriteStartObject();
                foreach (var field in record.Schema.Fields)
                {
                    writer.WritePropertyName(field.Name);
                    Write(writer, record.GetValue(field.Pos));
                }

                writer.WriteEndObject();
                break;
            case IDictionary map:
                writer.WriteStartObject();
                foreach (DictionaryEntry entry in map)
                {
                    writer.WritePropertyName(Convert.ToString(entry.Key, CultureInfo.InvariantCulture)!);
                    Write(writer, entry.Value);
                }

                writer.WriteEndObject();
                break;
            case IEnumerable items:
                writer.WriteStartArray();
                foreach (var item in items)
                {
                    Write(writer, item);
                }

                writer.WriteEndArray();
                break;
            default:
                writer.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }
}
