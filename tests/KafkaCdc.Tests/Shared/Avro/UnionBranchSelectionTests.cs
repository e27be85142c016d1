using System.Numerics;
using KafkaCdc.Shared.Avro;
using static KafkaCdc.Tests.Shared.Avro.AvroTestData;

namespace KafkaCdc.Tests.Shared.Avro;

public class UnionBranchSelectionTests
{
    private static readonly RecordSchema A = new("A", "n", [new AvroField("x", AvroSchema.Int)]);
    private static readonly RecordSchema B = new("B", "m", [new AvroField("x", AvroSchema.Int)]);
    private static readonly EnumSchema E = new("E", "n", ["X", "Y"]);
    private static readonly FixedSchema F2 = new("F2", "n", 2);
    private static readonly FixedSchema F3 = new("F3", "n", 3);

    private static int BranchOf(UnionSchema union, object? value) =>
        (int)new AvroBinaryReader(Encode(union, value)).ReadLong();

    private static object[] Cases() =>
    [
        new object?[] { AvroSchema.Union(AvroSchema.Null, AvroSchema.String), null, 0 },
        new object?[] { AvroSchema.Union(AvroSchema.String, AvroSchema.Null), null, 1 },
        new object?[] { AvroSchema.Union(AvroSchema.Long, AvroSchema.Int), 5, 1 },
        new object?[] { AvroSchema.Union(AvroSchema.Double, AvroSchema.Long), 5, 1 },
        new object?[] { AvroSchema.Union(AvroSchema.Double, AvroSchema.Float), 5, 1 },
        new object?[] { AvroSchema.Union(AvroSchema.Null, AvroSchema.Double), 5, 1 },
        new object?[] { AvroSchema.Union(AvroSchema.Double, AvroSchema.Long), 5L, 1 },
        new object?[] { AvroSchema.Union(AvroSchema.Double, AvroSchema.Float), 1.5f, 1 },
        new object?[] { AvroSchema.Union(AvroSchema.Float, AvroSchema.Double), 1.5, 1 },
        new object?[] { AvroSchema.Union(AvroSchema.Int, AvroSchema.Boolean), true, 1 },
        new object?[] { AvroSchema.Union(AvroSchema.Bytes, AvroSchema.String), "s", 1 },
        new object?[] { AvroSchema.Union(AvroSchema.String, AvroSchema.Bytes), new byte[] { 1 }, 1 },
        new object?[] { AvroSchema.Union(F2, F3), new byte[] { 1, 2, 3 }, 1 },
        new object?[] { AvroSchema.Union(A, B), new GenericRecord(B, [1]), 1 },
        new object?[] { AvroSchema.Union(AvroSchema.Null, A, B), new GenericRecord(A, [1]), 1 },
        new object?[] { AvroSchema.Union(AvroSchema.Null, E), new GenericEnum(E, "Y"), 1 },
        new object?[] { AvroSchema.Union(AvroSchema.Null, E), "Y", 1 },
        new object?[] { AvroSchema.Union(F2, F3), new GenericFixed(F3, [1, 2, 3]), 1 },
        new object?[] { AvroSchema.Union(AvroSchema.Double, AvroSchema.Decimal(5, 2)), 1.5m, 1 },
        new object?[] { AvroSchema.Union(AvroSchema.Null, AvroSchema.Decimal(5, 2)), new AvroDecimal(150, 2), 1 },
        new object?[] { AvroSchema.Union(AvroSchema.Null, AvroSchema.Decimal(5, 0)), new BigInteger(7), 1 },
        new object?[] { AvroSchema.Union(AvroSchema.Null, AvroSchema.Uuid), Guid.NewGuid(), 1 },
        new object?[] { AvroSchema.Union(AvroSchema.Null, AvroSchema.Date), new DateOnly(2020, 1, 1), 1 },
        new object?[] { AvroSchema.Union(AvroSchema.Null, AvroSchema.Date), 17, 1 },
        new object?[] { AvroSchema.Union(AvroSchema.Null, AvroSchema.TimeMicros), new TimeOnly(1, 0), 1 },
        new object?[] { AvroSchema.Union(AvroSchema.Null, AvroSchema.TimestampMicros), DateTime.UtcNow, 1 },
        new object?[] { AvroSchema.Union(AvroSchema.Null, AvroSchema.TimestampMillis), DateTimeOffset.UtcNow, 1 },
        new object?[] { AvroSchema.Union(AvroSchema.Map(AvroSchema.Int), AvroSchema.Array(AvroSchema.Int)), new List<object?> { 1 }, 1 },
        new object?[] { AvroSchema.Union(AvroSchema.Array(AvroSchema.Int), AvroSchema.Map(AvroSchema.Int)), new Dictionary<string, object?> { ["a"] = 1 }, 1 },
    ];

    [TestCaseSource(nameof(Cases))]
    public void Write_Value_PicksTheExpectedBranch(UnionSchema union, object? value, int branch)
    {
        Assert.That(BranchOf(union, value), Is.EqualTo(branch));
    }

    [Test]
    public void Write_IntWithExactBranchAfterWiderOne_PrefersTheExactBranch()
    {
        var union = AvroSchema.Union(AvroSchema.Double, AvroSchema.Long, AvroSchema.Int);

        Assert.That(RoundTrip(union, 5), Is.EqualTo(5));
        Assert.That(RoundTrip(union, 5L), Is.EqualTo(5L));
    }

    [Test]
    public void Write_IntWithOnlyDoubleBranch_WidensAndDecodesAsDouble()
    {
        Assert.That(RoundTrip(AvroSchema.Union(AvroSchema.Null, AvroSchema.Double), 5), Is.EqualTo(5.0));
    }

    [Test]
    public void Write_ValueMatchingNoBranch_ThrowsNamingUnionAndType()
    {
        var schema = new RecordSchema("Value", null, [new AvroField("note", AvroSchema.Union(AvroSchema.Null, AvroSchema.String))]);

        Assert.That(() => Encode(schema, new GenericRecord(schema, [42L])),
            Throws.InstanceOf<AvroEncodingException>().With.Message.EqualTo("Value.note: no branch of union [\"null\",\"string\"] accepts a value of type Int64"));
    }

    [Test]
    public void Write_RecordOfUnlistedName_Throws()
    {
        Assert.That(() => Encode(AvroSchema.Union(AvroSchema.Null, A), new GenericRecord(B, [1])),
            Throws.InstanceOf<AvroEncodingException>().With.Message.Contains("accepts a value of type record 'm.B'"));
    }

    [Test]
    public void Write_LongIntoIntOnlyUnion_DoesNotNarrow()
    {
        Assert.That(() => Encode(AvroSchema.Union(AvroSchema.Null, AvroSchema.Int), 1L), Throws.InstanceOf<AvroEncodingException>());
    }
}
