using KafkaCdc.Shared.Avro;

namespace KafkaCdc.Tests.Shared.Avro;

public class SchemaNamespaceTests
{
    private static RecordSchema ParseRecord(string json) => (RecordSchema)AvroSchema.Parse(json);

    [Test]
    public void Parse_NestedNamedType_InheritsEnclosingNamespace()
    {
        var record = ParseRecord("""{"type":"record","name":"Outer","namespace":"a.b","fields":[{"name":"e","type":{"type":"enum","name":"Kind","symbols":["X"]}}]}""");

        Assert.That(((EnumSchema)record.GetField("e").Schema).FullName, Is.EqualTo("a.b.Kind"));
    }

    [Test]
    public void Parse_DottedName_CarriesItsNamespaceAndIgnoresTheAttribute()
    {
        var record = ParseRecord("""{"type":"record","name":"x.y.R","namespace":"ignored","fields":[{"name":"f","type":{"type":"fixed","name":"F","size":1}}]}""");

        Assert.That(record.Name, Is.EqualTo("R"));
        Assert.That(record.Namespace, Is.EqualTo("x.y"));
        Assert.That(((FixedSchema)record.GetField("f").Schema).FullName, Is.EqualTo("x.y.F"));
    }

    [Test]
    public void Parse_EmptyNamespace_LeavesTheEnclosingOneForNone()
    {
        var record = ParseRecord("""{"type":"record","name":"R","namespace":"a","fields":[{"name":"f","type":{"type":"fixed","name":"F","namespace":"","size":1}},{"name":"g","type":"F"}]}""");

        var f = (FixedSchema)record.GetField("f").Schema;
        Assert.That(f.Namespace, Is.Null);
        Assert.That(f.FullName, Is.EqualTo("F"));
        Assert.That(record.GetField("g").Schema, Is.SameAs(f), "an undotted reference falls back to the null namespace");
        Assert.That(record.ToJson(), Does.Contain("\"name\":\"F\",\"namespace\":\"\""));
    }

    [Test]
    public void Parse_ReferenceByShortNameInsideNamespace_ResolvesToQualifiedType()
    {
        var record = ParseRecord("""{"type":"record","name":"R","namespace":"a","fields":[{"name":"f","type":{"type":"fixed","name":"F","size":1}},{"name":"g","type":"F"},{"name":"h","type":"a.F"}]}""");

        Assert.That(record.GetField("g").Schema, Is.SameAs(record.GetField("f").Schema));
        Assert.That(record.GetField("h").Schema, Is.SameAs(record.GetField("f").Schema));
    }

    [Test]
    public void Parse_SameShortNameInTwoNamespaces_AreDistinctTypes()
    {
        var record = ParseRecord("""{"type":"record","name":"R","namespace":"a","fields":[{"name":"f","type":{"type":"fixed","name":"F","size":1}},{"name":"g","type":{"type":"fixed","name":"b.F","size":2}},{"name":"h","type":"b.F"}]}""");

        Assert.That(((FixedSchema)record.GetField("h").Schema).Size, Is.EqualTo(2));
        Assert.That(((FixedSchema)record.GetField("f").Schema).FullName, Is.EqualTo("a.F"));
    }

    [Test]
    public void Parse_ReferenceToTypeDefinedInOtherNamespaceByShortName_IsUnknown()
    {
        var error = Assert.Throws<AvroSchemaException>(() => ParseRecord(
            """{"type":"record","name":"R","namespace":"a","fields":[{"name":"f","type":{"type":"fixed","name":"b.F","size":1}},{"name":"g","type":"F"}]}"""));

        Assert.That(error!.Message, Does.Contain("field 'g': unknown type 'F'"));
    }

    [Test]
    public void Parse_NestedRecordNamespace_AppliesToItsOwnFields()
    {
        var record = ParseRecord("""{"type":"record","name":"R","namespace":"a","fields":[{"name":"inner","type":{"type":"record","name":"I","namespace":"b","fields":[{"name":"e","type":{"type":"enum","name":"E","symbols":["S"]}}]}},{"name":"again","type":"b.E"}]}""");

        Assert.That(((EnumSchema)record.GetField("again").Schema).FullName, Is.EqualTo("b.E"));
    }

    [Test]
    public void ToJson_TypesInOtherNamespaces_RoundTripToTheSameFullNames()
    {
        var record = ParseRecord("""{"type":"record","name":"R","namespace":"a","fields":[{"name":"inner","type":{"type":"record","name":"I","namespace":"b","fields":[{"name":"e","type":{"type":"enum","name":"E","symbols":["S"]}},{"name":"r","type":"a.R"}]}},{"name":"e2","type":"b.E"}]}""");

        var reparsed = ParseRecord(record.ToJson());

        Assert.That(reparsed, Is.EqualTo(record));
        Assert.That(reparsed.ToCanonicalForm(), Is.EqualTo(record.ToCanonicalForm()));
        Assert.That(reparsed.ToJson(), Does.Contain("{\"name\":\"r\",\"type\":\"a.R\"}"));
        Assert.That(reparsed.ToJson(), Does.Contain("{\"name\":\"e2\",\"type\":\"b.E\"}"));
    }

    [Test]
    public void Parse_Aliases_AreQualifiedWithTheTypesNamespace()
    {
        var record = ParseRecord("""{"type":"record","name":"R","namespace":"a","aliases":["Old","z.Other"],"fields":[]}""");

        Assert.That(record.Aliases, Is.EqualTo(new[] { "a.Old", "z.Other" }));
    }
}
