using System.Numerics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using KafkaCdc.Shared.Avro;
using static KafkaCdc.Tests.Shared.Avro.AvroTestData;

namespace KafkaCdc.Tests.Shared.Avro;

/// <summary>
/// Checks this library against Apache Avro's Python implementation 1.11 (python3-avro): datums encoded here are
/// decoded there and the other way round, compared field by field, and canonical forms and fingerprints agree.
/// </summary>
public partial class PythonInteropTests
{
    private static readonly RecordSchema Everything = (RecordSchema)AvroSchema.Parse("""
        {"type":"record","name":"Everything","namespace":"kafkacdc.interop","doc":"Every type","kafkacdc.source":"interop","fields":[
          {"name":"n","type":"null"},
          {"name":"b","type":"boolean"},
          {"name":"i","type":"int"},
          {"name":"l","type":"long"},
          {"name":"f","type":"float"},
          {"name":"d","type":"double"},
          {"name":"by","type":"bytes"},
          {"name":"s","type":"string","kafkacdc.pg.type":"text"},
          {"name":"e","type":{"type":"enum","name":"Color","symbols":["RED","GREEN","BLUE"],"default":"RED"}},
          {"name":"fx","type":{"type":"fixed","name":"Md5","size":16}},
          {"name":"dec_big","type":{"type":"bytes","logicalType":"decimal","precision":1200,"scale":200,"kafkacdc.pg.type":"numeric"}},
          {"name":"dec_small","type":{"type":"bytes","logicalType":"decimal","precision":10,"scale":2}},
          {"name":"dec_fixed","type":{"type":"fixed","name":"Money","size":8,"logicalType":"decimal","precision":18,"scale":4}},
          {"name":"uid","type":{"type":"string","logicalType":"uuid"}},
          {"name":"day","type":{"type":"int","logicalType":"date"}},
          {"name":"t_ms","type":{"type":"int","logicalType":"time-millis"}},
          {"name":"t_us","type":{"type":"long","logicalType":"time-micros"}},
          {"name":"ts_ms","type":{"type":"long","logicalType":"timestamp-millis"}},
          {"name":"ts_us","type":{"type":"long","logicalType":"timestamp-micros"}},
          {"name":"lts_ms","type":{"type":"long","logicalType":"local-timestamp-millis"}},
          {"name":"lts_us","type":{"type":"long","logicalType":"local-timestamp-micros"}},
          {"name":"address","type":{"type":"record","name":"Address","fields":[{"name":"street","type":"string"},{"name":"zip","type":["null","int"],"default":null}]}},
          {"name":"addresses","type":{"type":"array","items":"Address"}},
          {"name":"scores","type":{"type":"map","values":"double"}},
          {"name":"nested","type":{"type":"map","values":{"type":"array","items":["null","long"]}}},
          {"name":"opt_string","type":["null","string"],"default":null},
          {"name":"opt_record","type":["null","Address"],"default":null},
          {"name":"opt_dec","type":["null",{"type":"bytes","logicalType":"decimal","precision":20,"scale":5}],"default":null},
          {"name":"opt_ts","type":["null",{"type":"long","logicalType":"timestamp-micros"}],"default":null},
          {"name":"opt_money","type":["null","Money"],"default":null},
          {"name":"choice","type":["null","string","long","Address","Md5"]},
          {"name":"matrix","type":{"type":"array","items":{"type":"array","items":"int"}}}]}
        """);

    private static readonly RecordSchema AddressSchema = (RecordSchema)Everything.GetField("address").Schema;
    private static readonly EnumSchema Color = (EnumSchema)Everything.GetField("e").Schema;
    private static readonly FixedSchema Md5 = (FixedSchema)Everything.GetField("fx").Schema;

    [Test]
    public void EncodedHere_DecodedByPython_MatchesFieldByField()
    {
        var records = Records();
        var request = new JsonObject
        {
            ["command"] = "decode",
            ["schema"] = Everything.ToJson(),
            ["bodies"] = new JsonArray([.. records.Select(r => (JsonNode)Hex(Encode(Everything, r)))]),
        };

        var decoded = PythonAvro.Run(request)["values"]!.AsArray();

        AssertFieldByField(records, decoded, "python's decoding of our bytes");
    }

    [Test]
    public void EncodedByPython_DecodedHere_MatchesFieldByField()
    {
        var records = Records();
        var request = new JsonObject
        {
            ["command"] = "encode",
            ["schema"] = Everything.ToJson(),
            ["values"] = new JsonArray([.. records.Select(r => AvroJsonRendering.Render(Everything, r))]),
        };

        var bodies = PythonAvro.Run(request)["bodies"]!.AsArray().Select(b => Hex(b!.GetValue<string>())).ToList();
        var decoded = bodies.Select(b => (GenericRecord)Decode(Everything, b)!).ToList();

        AssertFieldByField(records, new JsonArray([.. decoded.Select(r => AvroJsonRendering.Render(Everything, r))]), "our decoding of python's bytes");
        Assert.That(decoded, Is.EqualTo(records), "decoded records equal the originals");
    }

    private static readonly string[] CanonicalSchemas =
    [
        "\"string\"",
        """{"type":"long","logicalType":"timestamp-micros"}""",
        """["null","int","string"]""",
        """{"type":"map","values":{"type":"array","items":"bytes"}}""",
        """{"type":"record","name":"foo","fields":[{"type":"boolean","aliases":[],"name":"f1","default":true},{"order":"descending","name":"f2","doc":"Hello","type":"int"}]}""",
        """{"namespace":"x.y.z","type":"enum","name":"foo","doc":"foo bar","symbols":["A1","A2"],"default":"A2"}""",
        """{"namespace":"x.y.z","type":"fixed","name":"foo","doc":"foo bar","size":32}""",
        """{"type":"array","items":{"type":"map","values":{"type":"record","name":"Item","namespace":"shop","fields":[{"name":"qty","type":"int"}]}}}""",
        """{"name":"PigValue","type":"record","fields":[{"name":"value","type":["null","int","long","PigValue"]}]}""",
        """{"type":"record","name":"R","namespace":"a","fields":[{"name":"x","type":{"type":"record","name":"S","namespace":"b","fields":[{"name":"back","type":["null","a.R"]},{"name":"e","type":{"type":"enum","name":"E","symbols":["P","Q"]}}]}},{"name":"e2","type":"b.E"}]}""",
        """{"type":"bytes","logicalType":"decimal","precision":12,"scale":3,"kafkacdc.pg.type":"numeric","kafkacdc.pg.scale":3}""",
        """{"type":"record","name":"Prices","fields":[{"name":"a","type":{"type":"fixed","name":"Money","size":8,"logicalType":"decimal","precision":18,"scale":2}},{"name":"b","type":"Money"},{"name":"c","type":["null","Money"]}]}""",
        """[{"type":"record","name":"x.A","fields":[]},{"type":"record","name":"y.A","fields":[]},"null"]""",
        """{"type":"record","name":"Doc","doc":"caf\u00e9","fields":[{"name":"f","type":"string","doc":"\ud83d\ude00","kafkacdc.pg.type":"text"}]}""",
    ];

    /// <summary>
    /// A schema Python reads differently: python3-avro 1.11.1 takes <c>"namespace": ""</c> as "inherit the enclosing
    /// namespace", where the specification and Java take it as the null namespace (so this is <c>Plain</c>, not <c>a.Plain</c>).
    /// </summary>
    private const string EmptyNamespaceSchema =
        """{"type":"record","name":"R","namespace":"a","fields":[{"name":"x","type":{"type":"enum","name":"Plain","namespace":"","symbols":["A"]}},{"name":"y","type":"Plain"}]}""";

    [Test]
    public void CanonicalForm_EmptyNamespace_IsTheNullNamespaceUnlikePython()
    {
        var schema = AvroSchema.Parse(EmptyNamespaceSchema);
        var request = new JsonObject
        {
            ["command"] = "canonical",
            ["schemas"] = new JsonArray(new JsonObject { ["schema"] = schema.ToJson(), ["ours"] = schema.ToCanonicalForm() }),
        };

        var result = PythonAvro.Run(request)["results"]![0]!;

        Assert.That(schema.ToCanonicalForm(), Is.EqualTo(
            """{"name":"a.R","type":"record","fields":[{"name":"x","type":{"name":"Plain","type":"enum","symbols":["A"]}},{"name":"y","type":"Plain"}]}"""));
        Assert.That(result["canonical"]!.GetValue<string>(), Does.Contain("\"name\":\"a.Plain\""), "python's reading, documented above");
        Assert.That(result["ours_fingerprint"]!.GetValue<long>(), Is.EqualTo(schema.Fingerprint64));
    }

    [Test]
    public void CanonicalFormAndFingerprint_AgreeWithPython()
    {
        var schemas = CanonicalSchemas.Append(Everything.ToJson()).Select(AvroSchema.Parse).ToList();
        var request = new JsonObject
        {
            ["command"] = "canonical",
            ["schemas"] = new JsonArray([.. schemas.Select(s => (JsonNode)new JsonObject { ["schema"] = s.ToJson(), ["ours"] = s.ToCanonicalForm() })]),
        };

        var response = PythonAvro.Run(request);
        var results = response["results"]!.AsArray();

        TestContext.Out.WriteLine($"python avro {response["avro_version"]}, fingerprint API: {response["has_fingerprint_api"]}");
        Assert.Multiple(() =>
        {
            for (var i = 0; i < schemas.Count; i++)
            {
                var ours = schemas[i].ToCanonicalForm();
                var python = results[i]!["canonical"]!.GetValue<string>();
                var normalized = NormalizePythonDeviations(python);
                if (normalized != python)
                {
                    TestContext.Out.WriteLine($"schema {i}: python's form needed normalising: {python}");
                }

                Assert.That(normalized, Is.EqualTo(ours), $"schema {i} canonical form");
                Assert.That(results[i]!["ours_fingerprint"]!.GetValue<long>(), Is.EqualTo(schemas[i].Fingerprint64), $"schema {i}: python's CRC-64-AVRO of our form");
                if (normalized == python)
                {
                    Assert.That(results[i]!["fingerprint"]!.GetValue<long>(), Is.EqualTo(schemas[i].Fingerprint64), $"schema {i}: fingerprint of python's form");
                }
            }
        });
    }

    /// <summary>
    /// Undoes the two places where python3-avro 1.11.1 departs from the Parsing Canonical Form: a primitive with
    /// attributes (a logical type, custom properties) comes out as <c>{"type":"int"}</c> instead of <c>"int"</c>
    /// ([PRIMITIVES]), and a fixed used again is written out again instead of by its full name.
    /// </summary>
    private static string NormalizePythonDeviations(string python)
    {
        var text = PrimitiveObject().Replace(python, "\"$1\"");
        var seen = new HashSet<string>();
        return FixedDefinition().Replace(text, m => seen.Add(m.Value) ? m.Value : $"\"{m.Groups[1].Value}\"");
    }

    [GeneratedRegex("""\{"type":"(null|boolean|int|long|float|double|bytes|string)"\}""")]
    private static partial Regex PrimitiveObject();

    [GeneratedRegex("""\{"name":"([A-Za-z0-9_.]+)","type":"fixed","size":[0-9]+\}""")]
    private static partial Regex FixedDefinition();

    private static void AssertFieldByField(IReadOnlyList<GenericRecord> expected, JsonArray actual, string what)
    {
        Assert.That(actual, Has.Count.EqualTo(expected.Count), what);
        Assert.Multiple(() =>
        {
            for (var i = 0; i < expected.Count; i++)
            {
                var expectedRendering = (JsonObject)AvroJsonRendering.Render(Everything, expected[i])!;
                var actualRendering = actual[i]!.AsObject();
                foreach (var field in Everything.Fields)
                {
                    var e = expectedRendering[field.Name];
                    var a = actualRendering[field.Name];
                    Assert.That(JsonNode.DeepEquals(e, a), Is.True,
                        $"{what}: record {i} field '{field.Name}': expected {Shorten(e)}, got {Shorten(a)}");
                }
            }
        });
    }

    private static string Shorten(JsonNode? node)
    {
        var text = node?.ToJsonString() ?? "null";
        return text.Length <= 200 ? text : text[..200] + "...";
    }

    private static GenericRecord Address(string street, int? zip) => new(AddressSchema, [street, zip]);

    private static AvroDecimal Dec(string text, int scale) => AvroDecimal.Parse(text).Rescale(scale);

    private static GenericRecord Record(Dictionary<string, object?> values)
    {
        var record = new GenericRecord(Everything);
        foreach (var (name, value) in values)
        {
            record[name] = value;
        }

        return record;
    }

    private static List<GenericRecord> Records()
    {
        var bigDigits = string.Concat(Enumerable.Range(0, 1000).Select(i => (char)('0' + ((i * 7) + 3) % 10)));
        var allBytes = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        var typical = new Dictionary<string, object?>
        {
            ["n"] = null, ["b"] = true, ["i"] = 42, ["l"] = 1234567890123L, ["f"] = 1.5f, ["d"] = Math.PI,
            ["by"] = new byte[] { 0xde, 0xad, 0xbe, 0xef }, ["s"] = "hello, world", ["e"] = new GenericEnum(Color, "GREEN"),
            ["fx"] = new GenericFixed(Md5, [.. Enumerable.Range(0, 16).Select(i => (byte)i)]),
            ["dec_big"] = Dec("12345.678", 200), ["dec_small"] = Dec("-1234.56", 2), ["dec_fixed"] = Dec("12345678901234.5678", 4),
            ["uid"] = "0f8fad5b-d9cb-469f-a165-70867728950e", ["day"] = 19000, ["t_ms"] = 45296789, ["t_us"] = 45296789012L,
            ["ts_ms"] = 1714979289123L, ["ts_us"] = 1714979289123456L, ["lts_ms"] = 1714979289123L, ["lts_us"] = 1714979289123456L,
            ["address"] = Address("Main St 1", 12345),
            ["addresses"] = new List<object?> { Address("A", null), Address("B", 2) },
            ["scores"] = new Dictionary<string, object?> { ["a"] = 1.0, ["b"] = -2.5 },
            ["nested"] = new Dictionary<string, object?> { ["x"] = new List<object?> { 1L, null, 3L } },
            ["opt_string"] = "x", ["opt_record"] = Address("C", 3), ["opt_dec"] = Dec("123.45678", 5), ["opt_ts"] = 0L,
            ["opt_money"] = Dec("-0.0001", 4), ["choice"] = "a string",
            ["matrix"] = new List<object?> { new List<object?> { 1, 2 }, new List<object?> { 3 } },
        };
        var minimums = new Dictionary<string, object?>(typical)
        {
            ["b"] = false, ["i"] = int.MinValue, ["l"] = long.MinValue, ["f"] = float.NaN, ["d"] = double.NegativeInfinity,
            ["by"] = Array.Empty<byte>(), ["s"] = "", ["e"] = new GenericEnum(Color, "RED"), ["fx"] = new GenericFixed(Md5, new byte[16]),
            ["dec_big"] = new AvroDecimal(-BigInteger.Parse("9" + bigDigits), 200), ["dec_small"] = Dec("-99999999.99", 2),
            ["dec_fixed"] = Dec("-99999999999999.9999", 4), ["day"] = -719162, ["t_ms"] = 0, ["t_us"] = 0L,
            ["ts_ms"] = -62135596800000L, ["ts_us"] = -62135596800000000L, ["lts_ms"] = long.MinValue, ["lts_us"] = long.MinValue,
            ["address"] = Address("", null), ["addresses"] = new List<object?>(), ["scores"] = new Dictionary<string, object?>(),
            ["nested"] = new Dictionary<string, object?>(), ["opt_string"] = null, ["opt_record"] = null, ["opt_dec"] = null,
            ["opt_ts"] = null, ["opt_money"] = null, ["choice"] = null, ["matrix"] = new List<object?>(),
        };
        var maximums = new Dictionary<string, object?>(typical)
        {
            ["i"] = int.MaxValue, ["l"] = long.MaxValue, ["f"] = float.PositiveInfinity, ["d"] = -0.0, ["by"] = allBytes,
            ["s"] = "Zoë \u00e9\u0301 😀 𝄞 中文 \u0000 \uffff end", ["e"] = new GenericEnum(Color, "BLUE"),
            ["fx"] = new GenericFixed(Md5, [.. Enumerable.Repeat((byte)0xff, 16)]),
            ["dec_big"] = new AvroDecimal(BigInteger.Parse("8" + bigDigits), 200), ["dec_small"] = Dec("99999999.99", 2),
            ["dec_fixed"] = Dec("99999999999999.9999", 4), ["day"] = 2932896, ["t_ms"] = 86399999, ["t_us"] = 86399999999L,
            ["ts_ms"] = 253402300799999L, ["ts_us"] = 253402300799999999L, ["lts_ms"] = long.MaxValue, ["lts_us"] = long.MaxValue,
            ["address"] = Address("𝄞 Straße", int.MaxValue),
            ["addresses"] = new List<object?> { Address("x", int.MinValue), Address("y", 0), Address("z", -1) },
            ["scores"] = new Dictionary<string, object?> { [""] = double.NaN, ["ünï 😀"] = double.MaxValue, ["eps"] = double.Epsilon },
            ["nested"] = new Dictionary<string, object?> { ["e"] = new List<object?>(), ["n"] = new List<object?> { null, long.MinValue } },
            ["opt_string"] = "", ["opt_dec"] = Dec("-0.00001", 5), ["opt_ts"] = -1L, ["opt_money"] = Dec("0", 4),
            ["choice"] = long.MinValue, ["matrix"] = new List<object?> { new List<object?>(), new List<object?> { int.MaxValue, int.MinValue } },
        };
        var recordChoice = new Dictionary<string, object?>(typical)
        {
            ["f"] = float.Epsilon, ["d"] = double.MinValue, ["dec_big"] = Dec("0", 200), ["dec_small"] = Dec("0.01", 2),
            ["dec_fixed"] = Dec("-1", 4), ["choice"] = Address("chosen", 7), ["opt_money"] = Dec("99999999999999.9999", 4),
        };
        var fixedChoice = new Dictionary<string, object?>(typical)
        {
            ["dec_small"] = Dec("-0.01", 2), ["dec_fixed"] = Dec("0.0001", 4), ["choice"] = new GenericFixed(Md5, allBytes[..16]),
            ["opt_dec"] = Dec("999999999999999.99999", 5),
        };

        return [.. new[] { typical, minimums, maximums, recordChoice, fixedChoice }.Select(Record)];
    }
}
