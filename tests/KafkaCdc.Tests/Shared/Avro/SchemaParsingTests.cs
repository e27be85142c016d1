using KafkaCdc.Shared.Avro;

namespace KafkaCdc.Tests.Shared.Avro;

public class SchemaParsingTests
{
    [TestCase("\"null\"", AvroType.Null)]
    [TestCase("\"boolean\"", AvroType.Boolean)]
    [TestCase("\"int\"", AvroType.Int)]
    [TestCase("\"long\"", AvroType.Long)]
    [TestCase("\"float\"", AvroType.Float)]
    [TestCase("\"double\"", AvroType.Double)]
    [TestCase("\"bytes\"", AvroType.Bytes)]
    [TestCase("\"string\"", AvroType.String)]
    [TestCase("{\"type\":\"string\"}", AvroType.String)]
    [TestCase("{\"type\":\"long\"}", AvroType.Long)]
    public void Parse_PrimitiveForms_GivePrimitiveWrittenAsBareName(string json, AvroType type)
    {
        var schema = AvroSchema.Parse(json);

        Assert.That(schema, Is.InstanceOf<PrimitiveSchema>());
        Assert.That(schema.Type, Is.EqualTo(type));
        Assert.That(schema.ToJson(), Is.EqualTo(json.StartsWith('"') ? json : json[8..^1]));
    }

    [TestCase("{\"type\":\"record\",\"name\":\"R\",\"namespace\":\"x.y\",\"doc\":\"a record\",\"aliases\":[\"x.y.Old\"],\"fields\":[{\"name\":\"a\",\"type\":\"int\",\"doc\":\"field doc\",\"default\":1,\"order\":\"descending\",\"aliases\":[\"b\"]}]}")]
    [TestCase("{\"type\":\"record\",\"name\":\"Empty\",\"fields\":[]}")]
    [TestCase("{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[\"A\",\"B\",\"C\"],\"default\":\"A\"}")]
    [TestCase("{\"type\":\"fixed\",\"name\":\"F\",\"size\":16}")]
    [TestCase("{\"type\":\"array\",\"items\":\"long\"}")]
    [TestCase("{\"type\":\"map\",\"values\":{\"type\":\"array\",\"items\":\"string\"}}")]
    [TestCase("[\"null\",\"string\",{\"type\":\"fixed\",\"name\":\"F\",\"size\":2}]")]
    [TestCase("[]")]
    [TestCase("{\"type\":\"record\",\"name\":\"Node\",\"fields\":[{\"name\":\"value\",\"type\":\"int\"},{\"name\":\"next\",\"type\":[\"null\",\"Node\"],\"default\":null}]}")]
    [TestCase("{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":10,\"scale\":2}")]
    [TestCase("{\"type\":\"fixed\",\"name\":\"D\",\"size\":8,\"logicalType\":\"decimal\",\"precision\":18,\"scale\":4}")]
    [TestCase("{\"type\":\"long\",\"logicalType\":\"timestamp-micros\",\"connect.name\":\"x\"}")]
    public void ToJson_ParsedFullForm_IsTheSameText(string json)
    {
        var schema = AvroSchema.Parse(json);

        Assert.That(schema.ToJson(), Is.EqualTo(json));
        Assert.That(AvroSchema.Parse(schema.ToJson()), Is.EqualTo(schema));
    }

    [Test]
    public void Parse_Record_ExposesFieldsInOrderWithPositions()
    {
        var record = (RecordSchema)AvroSchema.Parse(
            """{"type":"record","name":"Order","namespace":"shop","fields":[{"name":"id","type":"long"},{"name":"note","type":["null","string"],"default":null}]}""");

        Assert.That(record.FullName, Is.EqualTo("shop.Order"));
        Assert.That(record.Fields.Select(f => (f.Name, f.Position)), Is.EqualTo(new[] { ("id", 0), ("note", 1) }));
        Assert.That(record.GetField("note").HasDefault, Is.True);
        Assert.That(record.GetField("note").Default, Is.Null);
        Assert.That(record.GetField("id").HasDefault, Is.False);
        Assert.That(record.TryGetField("missing", out _), Is.False);
    }

    [Test]
    public void Parse_RecursiveRecord_RefersToTheSameInstance()
    {
        var node = (RecordSchema)AvroSchema.Parse(
            """{"type":"record","name":"Node","fields":[{"name":"next","type":["null","Node"]}]}""");

        var next = (UnionSchema)node.GetField("next").Schema;
        Assert.That(next.Branches[1], Is.SameAs(node));
    }

    [Test]
    public void ToJson_NamedTypeUsedTwice_DefinesOnceThenRefers()
    {
        var schema = AvroSchema.Parse(
            """{"type":"record","name":"R","namespace":"n","fields":[{"name":"a","type":{"type":"fixed","name":"F","size":4}},{"name":"b","type":"F"},{"name":"c","type":"n.F"}]}""");

        Assert.That(schema.ToJson(), Is.EqualTo(
            """{"type":"record","name":"R","namespace":"n","fields":[{"name":"a","type":{"type":"fixed","name":"F","size":4}},{"name":"b","type":"F"},{"name":"c","type":"F"}]}"""));
    }

    [Test]
    public void ToJson_PropertiesInAnyOrder_AreWrittenSortedSoEqualSchemasGiveIdenticalText()
    {
        var a = AvroSchema.Parse("""{"type":"string","z":1,"a":{"y":2,"b":[3,{"d":4,"c":5}]}}""");
        var b = AvroSchema.Parse("""{"a":{"b":[3,{"c":5,"d":4}],"y":2},"z":1,"type":"string"}""");

        Assert.That(a.ToJson(), Is.EqualTo("""{"type":"string","a":{"b":[3,{"c":5,"d":4}],"y":2},"z":1}"""));
        Assert.That(b.ToJson(), Is.EqualTo(a.ToJson()));
        Assert.That(b, Is.EqualTo(a));
        Assert.That(b.GetHashCode(), Is.EqualTo(a.GetHashCode()));
    }

    [Test]
    public void Equals_SchemasDifferingOnlyInDoc_AreNotEqualButShareFingerprint()
    {
        var a = AvroSchema.Parse("""{"type":"record","name":"R","fields":[{"name":"f","type":"int"}]}""");
        var b = AvroSchema.Parse("""{"type":"record","name":"R","doc":"d","fields":[{"name":"f","type":"int"}]}""");

        Assert.That(a, Is.Not.EqualTo(b));
        Assert.That(a.Fingerprint64, Is.EqualTo(b.Fingerprint64));
    }

    [Test]
    public void ToJson_UnicodeInDoc_KeepsBmpTextUnescapedAndRoundTrips()
    {
        var schema = (EnumSchema)AvroSchema.Parse("""{"type":"enum","name":"E","doc":"caf\u00e9 \ud83d\ude00 \"q\"","symbols":["A"]}""");

        // System.Text.Json escapes characters outside the BMP even in relaxed mode; the text stays deterministic.
        Assert.That(schema.ToJson(), Is.EqualTo("{\"type\":\"enum\",\"name\":\"E\",\"doc\":\"café \\uD83D\\uDE00 \\\"q\\\"\",\"symbols\":[\"A\"]}"));
        Assert.That(((EnumSchema)AvroSchema.Parse(schema.ToJson())).Doc, Is.EqualTo("café 😀 \"q\""));
    }

    [Test]
    public void Parse_FieldDefaults_KeepTheirJson()
    {
        var record = (RecordSchema)AvroSchema.Parse(
            """{"type":"record","name":"R","fields":[{"name":"b","type":"bytes","default":"\u00ff\u0000"},{"name":"m","type":{"type":"map","values":"int"},"default":{"k":1}},{"name":"d","type":"double","default":1.5}]}""");

        Assert.That(record.GetField("b").Default!.GetValue<string>(), Is.EqualTo("\u00ff\u0000"));
        Assert.That(record.GetField("m").Default!.ToJsonString(), Is.EqualTo("""{"k":1}"""));
        Assert.That(record.GetField("d").Default!.GetValue<double>(), Is.EqualTo(1.5));
    }

    [Test]
    public void Parse_NamedTypeReferenceAsTypeObject_ResolvesLikeJava()
    {
        var schema = (RecordSchema)AvroSchema.Parse(
            """{"type":"record","name":"R","fields":[{"name":"e","type":{"type":"enum","name":"E","symbols":["A"]}},{"name":"f","type":{"type":"E"}}]}""");

        Assert.That(schema.GetField("f").Schema, Is.SameAs(schema.GetField("e").Schema));
    }
}
