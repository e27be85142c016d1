using System.Text.Json.Nodes;
using KafkaCdc.Shared.Avro;

namespace KafkaCdc.Tests.Shared.Avro;

public class SchemaPropertiesTests
{
    [Test]
    public void Parse_CustomPropertiesOnEveryKindOfSchemaAndField_AreKept()
    {
        var record = (RecordSchema)AvroSchema.Parse("""
            {"type":"record","name":"R","kafkacdc.table":"orders","fields":[
              {"name":"amount","type":{"type":"bytes","logicalType":"decimal","precision":10,"scale":2,"kafkacdc.pg.type":"numeric"},"kafkacdc.pg.scale":2},
              {"name":"tags","type":{"type":"array","items":"string","p":true}},
              {"name":"attrs","type":{"type":"map","values":"string","p":[1]}},
              {"name":"e","type":{"type":"enum","name":"E","symbols":["A"],"p":null}},
              {"name":"f","type":{"type":"fixed","name":"F","size":2,"p":{"x":1}}}]}
            """);

        Assert.That(record.Properties["kafkacdc.table"]!.GetValue<string>(), Is.EqualTo("orders"));
        var amount = record.GetField("amount");
        Assert.That(amount.Properties["kafkacdc.pg.scale"]!.GetValue<int>(), Is.EqualTo(2));
        Assert.That(amount.Schema.Properties["kafkacdc.pg.type"]!.GetValue<string>(), Is.EqualTo("numeric"));
        Assert.That(amount.Schema.Properties.ContainsKey("logicalType"), Is.False, "a valid logical type is modelled, not a property");
        Assert.That(record.GetField("tags").Schema.Properties["p"]!.GetValue<bool>(), Is.True);
        Assert.That(record.GetField("attrs").Schema.Properties["p"]!.ToJsonString(), Is.EqualTo("[1]"));
        Assert.That(record.GetField("e").Schema.Properties.TryGetValue("p", out var nullProperty), Is.True);
        Assert.That(nullProperty, Is.Null);
        Assert.That(record.GetField("f").Schema.Properties["p"]!.ToJsonString(), Is.EqualTo("""{"x":1}"""));
        Assert.That(AvroSchema.Parse(record.ToJson()).ToJson(), Is.EqualTo(record.ToJson()));
    }

    [Test]
    public void Properties_ValuesHandedOut_AreCopiesThatCannotChangeTheSchema()
    {
        var schema = AvroSchema.Parse("""{"type":"string","p":{"a":1}}""");
        var json = schema.ToJson();

        ((JsonObject)schema.Properties["p"]!)["a"] = 2;

        Assert.That(schema.Properties["p"]!["a"]!.GetValue<int>(), Is.EqualTo(1));
        Assert.That(schema.ToJson(), Is.EqualTo(json));
    }

    [Test]
    public void Constructor_PropertiesGivenInCode_AreWrittenSortedAndCopied()
    {
        var scale = new JsonObject { ["value"] = 2 };
        var field = new AvroField(
            "amount",
            AvroSchema.Decimal(12, 2),
            properties: new Dictionary<string, JsonNode?> { ["kafkacdc.pg.type"] = "numeric", ["kafkacdc.pg.scale"] = scale });
        var record = new RecordSchema("Value", "db.orders", [field], properties: [KeyValuePair.Create<string, JsonNode?>("z", 1)]);

        scale["value"] = 3;

        Assert.That(record.ToJson(), Is.EqualTo(
            """{"type":"record","name":"Value","namespace":"db.orders","fields":[{"name":"amount","type":{"type":"bytes","logicalType":"decimal","precision":12,"scale":2},"kafkacdc.pg.scale":{"value":2},"kafkacdc.pg.type":"numeric"}],"z":1}"""));
    }

    [TestCase("type")]
    [TestCase("logicalType")]
    [TestCase("precision")]
    public void Constructor_ReservedAttributeAsProperty_Throws(string key)
    {
        var error = Assert.Throws<AvroSchemaException>(() =>
            new PrimitiveSchema(AvroType.Bytes, new DecimalLogicalType(5, 1), [KeyValuePair.Create<string, JsonNode?>(key, 1)]));

        Assert.That(error!.Message, Does.Contain($"'{key}' is an Avro attribute, not a custom property"));
    }

    [Test]
    public void Constructor_ReservedFieldAttributeAsProperty_Throws()
    {
        Assert.That(
            () => new AvroField("f", AvroSchema.Int, properties: [KeyValuePair.Create<string, JsonNode?>("default", 1)]),
            Throws.InstanceOf<AvroSchemaException>().With.Message.Contains("field 'f': 'default' is an Avro attribute"));
    }

    [Test]
    public void Parse_UnknownLogicalType_StaysAPropertyAndRoundTrips()
    {
        var schema = AvroSchema.Parse("""{"type":"string","logicalType":"json"}""");

        Assert.That(schema.LogicalType, Is.Null);
        Assert.That(schema.Properties["logicalType"]!.GetValue<string>(), Is.EqualTo("json"));
        Assert.That(schema.ToJson(), Is.EqualTo("""{"type":"string","logicalType":"json"}"""));
    }
}
