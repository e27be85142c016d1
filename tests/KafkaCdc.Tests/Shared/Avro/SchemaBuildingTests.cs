using System.Text.Json.Nodes;
using KafkaCdc.Shared.Avro;

namespace KafkaCdc.Tests.Shared.Avro;

public class SchemaBuildingTests
{
    [Test]
    public void RecordSchema_BuiltInCode_EqualsTheParsedEquivalent()
    {
        var built = new RecordSchema("Value", "kafkacdc.db.public.orders",
        [
            new AvroField("id", AvroSchema.Long),
            new AvroField("note", AvroSchema.Nullable(AvroSchema.String), doc: "free text").WithDefault(null),
            new AvroField("amount", AvroSchema.Decimal(12, 2)),
            new AvroField("placed", AvroSchema.TimestampMicros),
            new AvroField("status", new EnumSchema("Status", "kafkacdc.db.public.orders", ["NEW", "DONE"], "NEW")),
            new AvroField("count", AvroSchema.Int).WithDefault(0),
        ]);

        var parsed = AvroSchema.Parse("""
            {"type":"record","name":"Value","namespace":"kafkacdc.db.public.orders","fields":[
              {"name":"id","type":"long"},
              {"name":"note","type":["null","string"],"doc":"free text","default":null},
              {"name":"amount","type":{"type":"bytes","logicalType":"decimal","precision":12,"scale":2}},
              {"name":"placed","type":{"type":"long","logicalType":"timestamp-micros"}},
              {"name":"status","type":{"type":"enum","name":"Status","symbols":["NEW","DONE"],"default":"NEW"}},
              {"name":"count","type":"int","default":0}]}
            """);

        Assert.That(built, Is.EqualTo(parsed));
        Assert.That(built.ToJson(), Is.EqualTo(parsed.ToJson()));
        Assert.That(built.Fields[1].Position, Is.EqualTo(1));
    }

    [Test]
    public void ToJson_TypeWithoutNamespaceNestedInCode_IsWrittenWithEmptyNamespaceOnlyWhenItHasNone()
    {
        var status = new EnumSchema("Status", null, ["A"]);
        var record = new RecordSchema("R", "n", [new AvroField("s", status)]);

        Assert.That(record.ToJson(), Does.Contain("{\"type\":\"enum\",\"name\":\"Status\",\"namespace\":\"\",\"symbols\":[\"A\"]}"));
        Assert.That(((RecordSchema)AvroSchema.Parse(record.ToJson())).GetField("s").Schema, Is.EqualTo(status));
    }

    [Test]
    public void RecordSchema_SameNamedTypeInstanceTwice_IsDefinedOnceInJson()
    {
        var money = new FixedSchema("Money", "n", 8, new DecimalLogicalType(18, 2));
        var record = new RecordSchema("R", "n", [new AvroField("a", money), new AvroField("b", money)]);

        Assert.That(record.ToJson(), Is.EqualTo(
            """{"type":"record","name":"R","namespace":"n","fields":[{"name":"a","type":{"type":"fixed","name":"Money","size":8,"logicalType":"decimal","precision":18,"scale":2}},{"name":"b","type":"Money"}]}"""));
    }

    [Test]
    public void RecordSchema_TwoDifferentTypesWithOneFullName_Throws()
    {
        Assert.That(
            () => new RecordSchema("R", "n", [new AvroField("a", new FixedSchema("F", "n", 1)), new AvroField("b", new FixedSchema("F", "n", 2))]),
            Throws.InstanceOf<AvroSchemaException>().With.Message.Contains("two different definitions of 'n.F'"));
    }

    [Test]
    public void RecordSchema_FieldsFromAnotherRecord_AreCopiedWithNewPositions()
    {
        var shared = new AvroField("x", AvroSchema.Int);
        var first = new RecordSchema("A", null, [shared]);
        var second = new RecordSchema("B", null, [new AvroField("y", AvroSchema.Int), first.Fields[0]]);

        Assert.That(first.Fields[0].Position, Is.EqualTo(0));
        Assert.That(second.GetField("x").Position, Is.EqualTo(1));
        Assert.That(shared.Position, Is.EqualTo(-1));
    }

    [Test]
    public void WithDefault_InvalidForTheSchema_Throws()
    {
        Assert.That(() => new AvroField("f", AvroSchema.Nullable(AvroSchema.Long)).WithDefault(5),
            Throws.InstanceOf<AvroSchemaException>().With.Message.EqualTo("field 'f': invalid default 5: expected null for null"));
    }

    [Test]
    public void WithDefault_RecordDefault_ChecksEveryField()
    {
        var inner = new RecordSchema("I", null, [new AvroField("a", AvroSchema.Int), new AvroField("b", AvroSchema.String).WithDefault("x")]);

        Assert.That(new AvroField("f", inner).WithDefault(new JsonObject { ["a"] = 1 }).HasDefault, Is.True);
        Assert.That(() => new AvroField("f", inner).WithDefault(new JsonObject { ["b"] = "y" }),
            Throws.InstanceOf<AvroSchemaException>().With.Message.Contains("field a is missing and has no default"));
    }

    [Test]
    public void Nullable_OfUnion_PutsNullFirstOnlyWhenMissing()
    {
        var withoutNull = AvroSchema.Union(AvroSchema.Int, AvroSchema.String);
        var withNull = AvroSchema.Union(AvroSchema.String, AvroSchema.Null);

        Assert.That(AvroSchema.Nullable(withoutNull).ToJson(), Is.EqualTo("[\"null\",\"int\",\"string\"]"));
        Assert.That(AvroSchema.Nullable(withNull), Is.SameAs(withNull));
    }

    [Test]
    public void UnionSchema_DuplicateType_Throws()
    {
        Assert.That(() => AvroSchema.Union(AvroSchema.Long, AvroSchema.TimestampMicros),
            Throws.InstanceOf<AvroSchemaException>().With.Message.Contains("duplicates an earlier branch"));
    }

    [Test]
    public void NamedSchema_NameWithConflictingNamespace_Throws()
    {
        Assert.That(() => new FixedSchema("a.F", "b", 1), Throws.InstanceOf<AvroSchemaException>().With.Message.Contains("contradicts"));
        Assert.That(new FixedSchema("a.F", "a", 1).FullName, Is.EqualTo("a.F"));
    }

    [Test]
    public void PrimitiveSchema_ComplexType_Throws()
    {
        Assert.That(() => new PrimitiveSchema(AvroType.Record), Throws.InstanceOf<AvroSchemaException>());
    }
}
