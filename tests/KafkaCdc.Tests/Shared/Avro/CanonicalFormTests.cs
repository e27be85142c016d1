using System.Text;
using KafkaCdc.Shared.Avro;

namespace KafkaCdc.Tests.Shared.Avro;

/// <summary>Cases from Apache Avro's share/test/data/schema-tests.txt, whose fingerprints Java cross-checks.</summary>
public class CanonicalFormTests
{
    private static readonly object[] SpecCases =
    [
        new object?[] { "\"null\"", "\"null\"", 7195948357588979594L },
        new object?[] { "{\"type\":\"null\"}", "\"null\"", 7195948357588979594L },
        new object?[] { "\"boolean\"", "\"boolean\"", -6970731678124411036L },
        new object?[] { "{\"type\":\"boolean\"}", "\"boolean\"", -6970731678124411036L },
        new object?[] { "\"int\"", "\"int\"", 8247732601305521295L },
        new object?[] { "\"long\"", "\"long\"", -3434872931120570953L },
        new object?[] { "\"float\"", "\"float\"", 5583340709985441680L },
        new object?[] { "\"double\"", "\"double\"", -8181574048448539266L },
        new object?[] { "\"bytes\"", "\"bytes\"", 5746618253357095269L },
        new object?[] { "\"string\"", "\"string\"", -8142146995180207161L },
        new object?[] { "[  ]", "[]", -1241056759729112623L },
        new object?[] { "[ \"int\"  ]", "[\"int\"]", -5232228896498058493L },
        new object?[] { "[ \"int\" , {\"type\":\"boolean\"} ]", "[\"int\",\"boolean\"]", 5392556393470105090L },
        new object?[] { "{\"fields\":[], \"type\":\"record\", \"name\":\"foo\"}", "{\"name\":\"foo\",\"type\":\"record\",\"fields\":[]}", -4824392279771201922L },
        new object?[] { "{\"fields\":[], \"type\":\"record\", \"name\":\"foo\", \"namespace\":\"x.y\"}", "{\"name\":\"x.y.foo\",\"type\":\"record\",\"fields\":[]}", 5916914534497305771L },
        new object?[] { "{\"fields\":[], \"type\":\"record\", \"name\":\"a.b.foo\", \"namespace\":\"x.y\"}", "{\"name\":\"a.b.foo\",\"type\":\"record\",\"fields\":[]}", -4616218487480524110L },
        new object?[] { "{\"fields\":[], \"type\":\"record\", \"name\":\"foo\", \"doc\":\"Useful info\"}", "{\"name\":\"foo\",\"type\":\"record\",\"fields\":[]}", -4824392279771201922L },
        new object?[] { "{\"fields\":[], \"type\":\"record\", \"name\":\"foo\", \"aliases\":[\"foo\",\"bar\"]}", "{\"name\":\"foo\",\"type\":\"record\",\"fields\":[]}", -4824392279771201922L },
        new object?[] { "{\"fields\":[{\"type\":{\"type\":\"boolean\"}, \"name\":\"f1\"}], \"type\":\"record\", \"name\":\"foo\"}", "{\"name\":\"foo\",\"type\":\"record\",\"fields\":[{\"name\":\"f1\",\"type\":\"boolean\"}]}", 7843277075252814651L },
        // The spec file's default here is the string "true", invalid for a boolean (Java parses it without validating defaults); true keeps the case.
        new object?[] { "{ \"fields\":[{\"type\":\"boolean\", \"aliases\":[], \"name\":\"f1\", \"default\":true},\n {\"order\":\"descending\",\"name\":\"f2\",\"doc\":\"Hello\",\"type\":\"int\"}],\n \"type\":\"record\", \"name\":\"foo\"\n}", "{\"name\":\"foo\",\"type\":\"record\",\"fields\":[{\"name\":\"f1\",\"type\":\"boolean\"},{\"name\":\"f2\",\"type\":\"int\"}]}", -4860222112080293046L },
        new object?[] { "{\"type\":\"enum\", \"name\":\"foo\", \"symbols\":[\"A1\"]}", "{\"name\":\"foo\",\"type\":\"enum\",\"symbols\":[\"A1\"]}", -6342190197741309591L },
        new object?[] { "{\"namespace\":\"x.y.z\", \"type\":\"enum\", \"name\":\"foo\", \"doc\":\"foo bar\", \"symbols\":[\"A1\", \"A2\"]}", "{\"name\":\"x.y.z.foo\",\"type\":\"enum\",\"symbols\":[\"A1\",\"A2\"]}", -4448647247586288245L },
        new object?[] { "{\"name\":\"foo\",\"type\":\"fixed\",\"size\":15}", "{\"name\":\"foo\",\"type\":\"fixed\",\"size\":15}", 1756455273707447556L },
        new object?[] { "{\"namespace\":\"x.y.z\", \"type\":\"fixed\", \"name\":\"foo\", \"doc\":\"foo bar\", \"size\":32}", "{\"name\":\"x.y.z.foo\",\"type\":\"fixed\",\"size\":32}", -3064184465700546786L },
        new object?[] { "{ \"items\":{\"type\":\"null\"}, \"type\":\"array\"}", "{\"type\":\"array\",\"items\":\"null\"}", -589620603366471059L },
        new object?[] { "{ \"values\":\"string\", \"type\":\"map\"}", "{\"type\":\"map\",\"values\":\"string\"}", -8732877298790414990L },
        new object?[] { "{\"name\":\"PigValue\",\"type\":\"record\",\n \"fields\":[{\"name\":\"value\", \"type\":[\"null\", \"int\", \"long\", \"PigValue\"]}]}", "{\"name\":\"PigValue\",\"type\":\"record\",\"fields\":[{\"name\":\"value\",\"type\":[\"null\",\"int\",\"long\",\"PigValue\"]}]}", -1759257747318642341L },
    ];

    [TestCaseSource(nameof(SpecCases))]
    public void ToCanonicalForm_SpecificationExample_MatchesCanonicalFormAndFingerprint(string json, string canonical, long fingerprint)
    {
        var schema = AvroSchema.Parse(json);

        Assert.That(schema.ToCanonicalForm(), Is.EqualTo(canonical));
        Assert.That(schema.Fingerprint64, Is.EqualTo(fingerprint));
    }

    [Test]
    public void Crc64_NoBytes_IsTheEmptyFingerprint()
    {
        Assert.That(AvroFingerprint.Crc64(ReadOnlySpan<byte>.Empty), Is.EqualTo(unchecked((long)0xc15d213aa4d7a795UL)));
    }

    [Test]
    public void ToCanonicalForm_LogicalTypesPropertiesAndDefaults_AreStripped()
    {
        var schema = AvroSchema.Parse("""
            {"type":"record","name":"R","namespace":"n","doc":"d","p":1,"fields":[
              {"name":"a","type":{"type":"bytes","logicalType":"decimal","precision":4,"scale":1},"default":"\u0000"},
              {"name":"b","type":{"type":"fixed","name":"F","size":3,"logicalType":"decimal","precision":5}},
              {"name":"c","type":{"type":"long","logicalType":"timestamp-micros","q":2}},
              {"name":"d","type":{"type":"enum","name":"E","symbols":["A","B"],"default":"A"}},
              {"name":"e","type":"F"},
              {"name":"f","type":{"type":"map","values":"E","p":1}}]}
            """);

        Assert.That(schema.ToCanonicalForm(), Is.EqualTo(
            "{\"name\":\"n.R\",\"type\":\"record\",\"fields\":[{\"name\":\"a\",\"type\":\"bytes\"},{\"name\":\"b\",\"type\":{\"name\":\"n.F\",\"type\":\"fixed\",\"size\":3}},{\"name\":\"c\",\"type\":\"long\"},{\"name\":\"d\",\"type\":{\"name\":\"n.E\",\"type\":\"enum\",\"symbols\":[\"A\",\"B\"]}},{\"name\":\"e\",\"type\":\"n.F\"},{\"name\":\"f\",\"type\":{\"type\":\"map\",\"values\":\"n.E\"}}]}"));
        Assert.That(schema.Fingerprint64, Is.EqualTo(AvroFingerprint.Crc64(Encoding.UTF8.GetBytes(schema.ToCanonicalForm()))));
    }

    [Test]
    public void Fingerprint64_ParsedAgainFromCanonicalForm_IsUnchanged()
    {
        var schema = AvroSchema.Parse("""{"type":"record","name":"R","namespace":"a","fields":[{"name":"x","type":{"type":"record","name":"S","namespace":"b","fields":[{"name":"y","type":"a.R"}]}}]}""");

        var again = AvroSchema.Parse(schema.ToCanonicalForm());

        Assert.That(again.ToCanonicalForm(), Is.EqualTo(schema.ToCanonicalForm()));
        Assert.That(again.Fingerprint64, Is.EqualTo(schema.Fingerprint64));
    }
}
