using System.Collections;
using System.Globalization;
using System.Text;

namespace KafkaCdc.Shared.Avro;

/// <summary>Deep equality and a diagnostic rendering of values in the generic representation.</summary>
internal static class GenericDatum
{
    public static bool ValuesEqual(object?[] left, object?[] right)
    {
        if (left.Length != right.Length)
        {
            return false;
        }

        for (var i = 0; i < left.Length; i++)
        {
            if (!DeepEquals(left[i], right[i]))
            {
                return false;
            }
        }

        return true;
    }

    public static bool DeepEquals(object? left, object? right)
    {
        switch (left, right)
        {
            case (null, null):
                return true;
            case (null, _) or (_, null):
                return false;
            case (byte[] a, byte[] b):
                return a.AsSpan().SequenceEqual(b);
            case (IDictionary a, IDictionary b):
                if (a.Count != b.Count)
                {
                    return false;
                }

                foreach (DictionaryEntry entry in a)
                {
                    if (!b.Contains(entry.Key) || !DeepEquals(entry.Value, b[entry.Key]))
                    {
                        return false;
                    }
                }

                return true;
            case (IList a, IList b):
                if (a.Count != b.Count)
                {
                    return false;
                }

                for (var i = 0; i < a.Count; i++)
                {
                    if (!DeepEquals(a[i], b[i]))
                    {
                        return false;
                    }
                }

                return true;
            default:
                // double.Equals and float.Equals treat NaN as equal to NaN, which is what a datum comparison wants.
                return left.Equals(right);
        }
    }

    public static string Render(object? value)
    {
        var text = new StringBuilder();
        Render(text, value, 0);
        return text.ToString();
    }

    private static void Render(StringBuilder text, object? value, int depth)
    {
        if (depth > 32)
        {
            text.Append("...");
            return;
        }

        switch (value)
        {
            case null:
                text.Append("null");
                break;
            case string s:
                text.Append('"').Append(s).Append('"');
                break;
            case bool b:
                text.Append(b ? "true" : "false");
                break;
            case byte[] bytes:
                text.Append("0x").Append(Convert.ToHexString(bytes));
                break;
            case GenericRecord record:
                text.Append('{');
                for (var i = 0; i < record.Count; i++)
                {
                    text.Append(i == 0 ? "\"" : ", \"").Append(record.Schema.Fields[i].Name).Append("\": ");
                    Render(text, record[i], depth + 1);
                }

                text.Append('}');
                break;
            case IDictionary map:
                text.Append('{');
                var first = true;
                foreach (DictionaryEntry entry in map)
                {
                    text.Append(first ? "\"" : ", \"").Append(entry.Key).Append("\": ");
                    Render(text, entry.Value, depth + 1);
                    first = false;
                }

                text.Append('}');
                break;
            case IList list:
                text.Append('[');
                for (var i = 0; i < list.Count; i++)
                {
                    text.Append(i == 0 ? "" : ", ");
                    Render(text, list[i], depth + 1);
                }

                text.Append(']');
                break;
            case IFormattable formattable:
                text.Append(formattable.ToString(null, CultureInfo.InvariantCulture));
                break;
            default:
                text.Append(value);
                break;
        }
    }
}
