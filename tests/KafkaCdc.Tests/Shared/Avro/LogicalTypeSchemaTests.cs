using KafkaCdc.Shared.Avro;

namespace KafkaCdc.Tests.Shared.Avro;

public class LogicalTypeSchemaTests
{
    [TestCase("""{"type":"string","logicalType":"uuid"}""", LogicalTypeKind.Uuid)]
    [TestCase("""{"type":"int","logicalType":"date"}""", LogicalTypeKind.Date)]
    [TestCase("""{"type":"int","logicalType":"time-millis"}""", LogicalTypeKind.TimeMillis)]
    [TestCase("""{"type":"long","logicalType":"time-micros"}""", LogicalTypeKind.TimeMicros)]
    [TestCase("""{"type":"long","logicalType":"timestamp-millis"}""", LogicalTypeKind.TimestampMillis)]
    [TestCase("""{"type":"long","logicalType":"timestamp-micros"}""", LogicalTypeKind.TimestampMicros)]
    [TestCase("""{"type":"long","logicalType":"local-timestamp-millis"}""", LogicalTypeKind.LocalTimestampMillis)]
    [TestCase("""{"type":"long","logicalType":"local-timestamp-micros"}""", LogicalTypeKind.LocalTimestampMicros)]
    public void Parse_LogicalTypeOnItsUnderlyingType_IsRecognised(string json, LogicalTypeKind kind)
    {
        var schema = AvroSchema.Parse(json);

        Assert.That(schema.LogicalType?.Kind, Is.EqualTo(kind));
        Assert.That(schema.Properties, Is.Empty);
        Assert.That(schema.ToJson(), Is.EqualTo(json));
    }

    [Test]
    public void Factories_LogicalSchemas_EqualTheirParsedForms()
    {
        Assert.That(AvroSchema.TimestampMicros, Is.EqualTo(AvroSchema.Parse("""{"type":"long","logicalType":"timestamp-micros"}""")));
        Assert.That(AvroSchema.Uuid.LogicalType, Is.SameAs(LogicalType.Uuid));
        Assert.That(AvroSchema.Decimal(10, 2).LogicalType, Is.EqualTo(new DecimalLogicalType(10, 2)));
    }

    [Test]
    public void Parse_BytesDecimal_ExposesPrecisionAndScale()
    {
        var schema = AvroSchema.Parse("""{"type":"bytes","logicalType":"decimal","precision":10,"scale":2}""");

        Assert.That(schema.LogicalType is DecimalLogicalType { Precision: 10, Scale: 2 }, Is.True);
    }

    [Test]
    public void Parse_DecimalWithoutScale_HasScaleZero()
    {
        var schema = AvroSchema.Parse("""{"type":"bytes","logicalType":"decimal","precision":5}""");

        Assert.That(schema.LogicalType, Is.EqualTo(new DecimalLogicalType(5, 0)));
    }

    [TestCase("""{"type":"bytes","logicalType":"decimal","precision":0}""")]
    [TestCase("""{"type":"bytes","logicalType":"decimal","precision":-1}""")]
    [TestCase("""{"type":"bytes","logicalType":"decimal","precision":"10"}""")]
    [TestCase("""{"type":"bytes","logicalType":"decimal","scale":2}""")]
    [TestCase("""{"type":"bytes","logicalType":"decimal","precision":2,"scale":3}""")]
    [TestCase("""{"type":"bytes","logicalType":"decimal","precision":2,"scale":-1}""")]
    [TestCase("""{"type":"bytes","logicalType":"decimal","precision":2.5}""")]
    [TestCase("""{"type":"fixed","name":"F","size":2,"logicalType":"decimal","precision":5}""")]
    [TestCase("""{"type":"string","logicalType":"decimal","precision":5}""")]
    [TestCase("""{"type":"string","logicalType":"date"}""")]
    [TestCase("""{"type":"long","logicalType":"time-millis"}""")]
    [TestCase("""{"type":"int","logicalType":"timestamp-millis"}""")]
    [TestCase("""{"type":"bytes","logicalType":"uuid"}""")]
    public void Parse_InvalidLogicalType_FallsBackToUnderlyingTypeKeepingAttributes(string json)
    {
        var schema = AvroSchema.Parse(json);

        Assert.That(schema.LogicalType, Is.Null);
        Assert.That(schema.Properties.ContainsKey("logicalType"), Is.True);
        Assert.That(AvroSchema.Parse(schema.ToJson()), Is.EqualTo(schema));
    }

    [TestCase(1, 2)]
    [TestCase(2, 4)]
    [TestCase(4, 9)]
    [TestCase(8, 18)]
    [TestCase(16, 38)]
    [TestCase(32, 76)]
    public void MaxPrecisionForFixedSize_MatchesTheSpecificationsFormula(int size, int precision)
    {
        Assert.That(DecimalLogicalType.MaxPrecisionForFixedSize(size), Is.EqualTo(precision));
    }

    [Test]
    public void Parse_FixedDecimalAtMaxPrecision_IsRecognised()
    {
        var schema = AvroSchema.Parse("""{"type":"fixed","name":"F","size":8,"logicalType":"decimal","precision":18,"scale":2}""");

        Assert.That(schema.LogicalType, Is.EqualTo(new DecimalLogicalType(18, 2)));
    }

    [Test]
    public void Constructor_LogicalTypeOnWrongType_Throws()
    {
        Assert.That(() => new PrimitiveSchema(AvroType.Long, LogicalType.Date),
            Throws.InstanceOf<AvroSchemaException>().With.Message.EqualTo("logical type 'date' annotates int, not long"));
    }

    [TestCase(0, 0)]
    [TestCase(3, 4)]
    [TestCase(3, -1)]
    public void DecimalLogicalType_InvalidPrecisionOrScale_Throws(int precision, int scale)
    {
        Assert.That(() => new DecimalLogicalType(precision, scale), Throws.InstanceOf<AvroSchemaException>());
    }

    [Test]
    public void FixedSchema_DecimalTooPreciseForSize_Throws()
    {
        Assert.That(() => new FixedSchema("F", null, 4, new DecimalLogicalType(10, 0)),
            Throws.InstanceOf<AvroSchemaException>().With.Message.Contains("precision 10 does not fit in 4 bytes (at most 9 digits)"));
    }
}
