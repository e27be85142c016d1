using KafkaCdc.Shared.Avro;

namespace KafkaCdc.Tests.Shared.Avro;

public class SchemaErrorTests
{
    [TestCase("""{"type":"record","name":"Order","namespace":"x","fields":[{"name":"id","type":"long"},{"name":"amount","type":"decmal"}]}""",
        "record 'x.Order' field 'amount': unknown type 'decmal'", "$.fields[1].type")]
    [TestCase("""{"type":"record","name":"R","fields":[{"name":"a","type":"int"},{"name":"a","type":"long"}]}""",
        "record 'R': field 'a' is defined twice", "$")]
    [TestCase("""{"type":"record","name":"R","fields":[{"name":"a","type":{"type":"record","name":"R","fields":[]}}]}""",
        "record 'R' field 'a': 'R' is already defined", "$.fields[0].type")]
    [TestCase("""{"type":"record","name":"R"}""", "record 'R': missing required attribute 'fields'", "$")]
    [TestCase("""{"type":"record","name":"1R","fields":[]}""", "record: invalid name '1R'", "$.name")]
    [TestCase("""{"type":"record","name":"R","fields":[{"name":"bad-name","type":"int"}]}""", "record 'R': invalid field name 'bad-name'", "$.fields[0]")]
    [TestCase("""{"type":"record","name":"R","fields":[{"name":"f","type":"int","default":"x"}]}""",
        "record 'R' field 'f': invalid default \"x\": expected an integer in int range for int", "$.fields[0].default")]
    [TestCase("""{"type":"record","name":"R","fields":[{"name":"f","type":["null","int"],"default":1}]}""",
        "record 'R' field 'f': invalid default 1: expected null for null", "$.fields[0].default")]
    [TestCase("""{"type":"record","name":"R","fields":[{"name":"f","type":"int","order":"up"}]}""",
        "record 'R' field 'f': 'order' must be ascending, descending or ignore, not 'up'", "$.fields[0].order")]
    [TestCase("""{"type":"enum","name":"E","symbols":["A","A"]}""", "enum 'E': symbol 'A' appears twice", "$")]
    [TestCase("""{"type":"enum","name":"E","symbols":["A"],"default":"B"}""", "enum 'E': default 'B' is not one of its symbols", "$")]
    [TestCase("""{"type":"enum","name":"E","symbols":["a-b"]}""", "enum 'E': invalid symbol 'a-b'", "$")]
    [TestCase("""{"type":"fixed","name":"F","size":-1}""", "fixed 'F': 'size' must be a non-negative integer, not -1", "$.size")]
    [TestCase("""{"type":"fixed","name":"F"}""", "missing required attribute 'size'", "$")]
    [TestCase("""{"type":"array"}""", "missing required attribute 'items'", "$")]
    [TestCase("""{"type":"map","values":"nope"}""", "map values: unknown type 'nope'", "$.values")]
    [TestCase("""["null",["int"]]""", "union branch 1: a union may not directly contain another union", "$")]
    [TestCase("""["string",{"type":"string","logicalType":"uuid"}]""", "union branch 1: string (uuid) duplicates an earlier branch", "$")]
    [TestCase("""[{"type":"fixed","name":"F","size":1},{"type":"fixed","name":"F","size":2}]""", "union branch 1: 'F' is already defined", "$[1]")]
    [TestCase("""{"name":"x"}""", "schema object has no 'type' attribute", "$")]
    [TestCase("""{"type":["null","int"]}""", "'type' must be a string naming a type", "$.type")]
    [TestCase("""{"type":"record","name":"int","fields":[]}""", "'int' is a primitive type name and cannot name a type", "$.name")]
    [TestCase("""42""", "a schema is a type name, an object or an array (a union), not the number 42", "$")]
    [TestCase("""{"type":"record","name":"R","fields":[{"name":"f","type":"record"}]}""", "unknown type 'record' ('record' needs an object", "$.fields[0].type")]
    public void Parse_InvalidSchema_ThrowsNamingWhatAndWhere(string json, string message, string jsonPath)
    {
        var error = Assert.Throws<AvroSchemaException>(() => AvroSchema.Parse(json));

        Assert.That(error!.Message, Does.Contain(message));
        Assert.That(error.JsonPath, Is.EqualTo(jsonPath));
    }

    [TestCase("")]
    [TestCase("{")]
    [TestCase("""{"type":"int","type":"long"}""")]
    public void Parse_InvalidJson_ThrowsSchemaException(string json)
    {
        var error = Assert.Throws<AvroSchemaException>(() => AvroSchema.Parse(json));

        Assert.That(error!.Message, Does.StartWith("schema is not valid JSON"));
        Assert.That(error.InnerException, Is.Not.Null);
    }

    [Test]
    public void Parse_ErrorInDeeplyNestedField_NamesEachEnclosingLevel()
    {
        var error = Assert.Throws<AvroSchemaException>(() => AvroSchema.Parse(
            """{"type":"record","name":"Envelope","namespace":"cdc","fields":[{"name":"after","type":["null",{"type":"record","name":"Value","fields":[{"name":"tags","type":{"type":"array","items":"strin"}}]}]}]}"""));

        Assert.That(error!.Message, Does.StartWith(
            "record 'cdc.Envelope' field 'after' union branch 1 record 'cdc.Value' field 'tags' array items: unknown type 'strin'"));
        Assert.That(error.JsonPath, Is.EqualTo("$.fields[0].type[1].fields[0].type.items"));
    }
}
