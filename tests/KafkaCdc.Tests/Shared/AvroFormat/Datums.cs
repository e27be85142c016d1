using System.Collections;
using System.Globalization;
using Avro;
using Avro.Generic;
using KafkaCdc.Shared.Postgres;

namespace KafkaCdc.Tests.Shared.AvroFormat;

/// <summary>Comparing and showing Avro datums as Apache.Avro holds them (records, object[] arrays, maps, byte[], AvroDecimal), for assertions.</summary>
internal static class Datums
{
    /// <summary>Structural equality: byte arrays, arrays and maps by content, records field by field, NaN equal to NaN.</summary>
    public static bool DeepEquals(object? a, object? b) => (a, b) switch
    {
        (null, null) => true,
        (null, _) or (_, null) => false,
        (byte[] x, byte[] y) => x.AsSpan().SequenceEqual(y),
        (GenericRecord x, GenericRecord y) => x.Schema.Fullname == y.Schema.Fullname && x.Schema.Count == y.Schema.Count
            && Enumerable.Range(0, x.Schema.Count).All(i => DeepEquals(x.GetValue(i), y.GetValue(i))),
        (IDictionary x, IDictionary y) => x.Count == y.Count && x.Keys.Cast<object>().All(k => y.Contains(k) && DeepEquals(x[k], y[k])),
        (IList x, IList y) => x.Count == y.Count && Enumerable.Range(0, x.Count).All(i => DeepEquals(x[i], y[i])),
        (double x, double y) => x.Equals(y),
        (float x, float y) => x.Equals(y),
        _ => a.Equals(b),
    };

    /// <summary>A readable rendering for assertion messages.</summary>
    public static string Render(object? datum) => datum switch
    {
        null => "null",
        string text => "\"" + text + "\"",
        byte[] bytes => "0x" + Convert.ToHexString(bytes),
        AvroDecimal number => PgDecimalText.Format(number),
        GenericRecord record => "{" + string.Join(", ", record.Schema.Fields.Select(f => f.Name + ": " + Render(record.GetValue(f.Pos)))) + "}",
        IDictionary map => "{" + string.Join(", ", map.Keys.Cast<object>().Select(k => k + ": " + Render(map[k]))) + "}",
        IList items => "[" + string.Join(", ", items.Cast<object?>().Select(Render)) + "]",
        IFormattable value => value.ToString(null, CultureInfo.InvariantCulture),
        _ => datum.ToString() ?? "",
    };

    /// <summary>Every property of <paramref name="record"/>'s field (not the Avro attributes) as its JSON text, from the record's JSON.</summary>
    public static Dictionary<string, string> Properties(RecordSchema record, string fieldName)
    {
        var json = Newtonsoft.Json.Linq.JObject.Parse(record.ToString());
        var field = (Newtonsoft.Json.Linq.JObject)json["fields"]!.First(f => (string?)f["name"] == fieldName);
        string[] reserved = ["name", "type", "doc", "default", "order", "aliases"];
        return field.Properties().Where(p => !reserved.Contains(p.Name)).ToDictionary(p => p.Name, p => p.Value.ToString(Newtonsoft.Json.Formatting.None));
    }

    /// <summary>A field property's JSON text as Apache.Avro holds it, with a string shown without its quotes.</summary>
    public static string? Property(Field field, string name)
    {
        var json = field.GetProperty(name);
        return json is ['"', .., '"'] ? System.Text.Json.JsonSerializer.Deserialize<string>(json) : json;
    }
}
