using System.Numerics;
using KafkaCdc.Shared.Avro;
using static KafkaCdc.Tests.Shared.Avro.AvroTestData;

namespace KafkaCdc.Tests.Shared.Avro;

public class DatumRoundTripTests
{
    private static readonly RecordSchema Address = new("Address", "shop",
    [
        new AvroField("street", AvroSchema.String),
        new AvroField("zip", AvroSchema.Nullable(AvroSchema.Int)).WithDefault(null),
    ]);

    private static readonly EnumSchema Status = new("Status", "shop", ["NEW", "PAID", "SHIPPED"]);
    private static readonly FixedSchema Hash = new("Hash", "shop", 4);

    private static readonly RecordSchema Order = new("Order", "shop",
    [
        new AvroField("id", AvroSchema.Long),
        new AvroField("ok", AvroSchema.Boolean),
        new AvroField("qty", AvroSchema.Int),
        new AvroField("ratio", AvroSchema.Float),
        new AvroField("price", AvroSchema.Double),
        new AvroField("blob", AvroSchema.Bytes),
        new AvroField("name", AvroSchema.String),
        new AvroField("status", Status),
        new AvroField("hash", Hash),
        new AvroField("addresses", AvroSchema.Array(Address)),
        new AvroField("attributes", AvroSchema.Map(AvroSchema.Nullable(AvroSchema.String))),
        new AvroField("billing", AvroSchema.Nullable(Address)),
        new AvroField("amount", AvroSchema.Decimal(20, 4)),
        new AvroField("uid", AvroSchema.Uuid),
        new AvroField("day", AvroSchema.Date),
        new AvroField("at", AvroSchema.TimestampMicros),
    ]);

    [Test]
    public void RoundTrip_RecordOfEveryKind_GivesAnEqualRecord()
    {
        var record = new GenericRecord(Order, [
            long.MinValue, true, int.MaxValue, 1.25f, double.NegativeInfinity, new byte[] { 0, 255 }, "Zoë 😀",
            new GenericEnum(Status, "PAID"), new GenericFixed(Hash, [1, 2, 3, 4]),
            new List<object?> { new GenericRecord(Address, ["Main St", 12345]), new GenericRecord(Address, ["", null]) },
            new Dictionary<string, object?> { ["gift"] = "yes", ["note"] = null, [""] = "" },
            null, AvroDecimal.Parse("-12345678901234.5678"), "6f1c2b0e-8f5d-4c3a-9b7e-2d1f0a9c8b7e", 19000, 1714979289123456L,
        ]);

        var decoded = RoundTrip(Order, record);

        Assert.That(decoded, Is.EqualTo(record));
        Assert.That(((GenericRecord)decoded!)["addresses"], Is.TypeOf<List<object?>>());
        Assert.That(((GenericRecord)decoded)["attributes"], Is.TypeOf<Dictionary<string, object?>>());
    }

    [Test]
    public void RoundTrip_RecursiveSchema_ReadsTheChain()
    {
        var node = (RecordSchema)AvroSchema.Parse("""{"type":"record","name":"Node","fields":[{"name":"v","type":"int"},{"name":"next","type":["null","Node"]}]}""");
        var chain = new GenericRecord(node, [1, new GenericRecord(node, [2, new GenericRecord(node, [3, null])])]);

        Assert.That(RoundTrip(node, chain), Is.EqualTo(chain));
    }

    [Test]
    public void Write_LogicalConveniences_EncodeTheUnderlyingValues()
    {
        var schema = new RecordSchema("L", null,
        [
            new AvroField("uid", AvroSchema.Uuid),
            new AvroField("day", AvroSchema.Date),
            new AvroField("tmillis", AvroSchema.TimeMillis),
            new AvroField("tmicros", AvroSchema.TimeMicros),
            new AvroField("tsmillis", AvroSchema.TimestampMillis),
            new AvroField("tsmicros", AvroSchema.TimestampMicros),
            new AvroField("localmillis", AvroSchema.LocalTimestampMillis),
            new AvroField("localmicros", AvroSchema.LocalTimestampMicros),
        ]);
        var instant = new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.FromHours(1));
        var record = new GenericRecord(schema, [
            Guid.Parse("6F1C2B0E-8F5D-4C3A-9B7E-2D1F0A9C8B7E"), new DateOnly(2024, 1, 2), new TimeOnly(1, 2, 3, 4), TimeSpan.FromHours(24),
            instant, instant.UtcDateTime, instant, new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Local),
        ]);

        var decoded = (GenericRecord)RoundTrip(schema, record)!;

        Assert.That(decoded["uid"], Is.EqualTo("6f1c2b0e-8f5d-4c3a-9b7e-2d1f0a9c8b7e"));
        Assert.That(decoded["day"], Is.EqualTo(19724));
        Assert.That(decoded["tmillis"], Is.EqualTo(3723004));
        Assert.That(decoded["tmicros"], Is.EqualTo(86400000000L));
        Assert.That(decoded["tsmillis"], Is.EqualTo(1704161045000L));
        Assert.That(decoded["tsmicros"], Is.EqualTo(1704161045000000L));
        Assert.That(decoded["localmillis"], Is.EqualTo(1704164645000L), "the wall clock of the offset, 03:04:05");
        Assert.That(decoded["localmicros"], Is.EqualTo(1704164645000000L), "the clock reading, whatever the kind");
    }

    [Test]
    public void Write_NumericWidening_AcceptsNarrowerClrTypes()
    {
        var schema = new RecordSchema("N", null,
        [
            new AvroField("l", AvroSchema.Long), new AvroField("f", AvroSchema.Float), new AvroField("d", AvroSchema.Double), new AvroField("i", AvroSchema.Int),
        ]);

        var decoded = (GenericRecord)RoundTrip(schema, new GenericRecord(schema, [7, 8L, 1.5f, (short)-3]))!;

        Assert.That(decoded.Values, Is.EqualTo(new object[] { 7L, 8f, 1.5, -3 }));
    }

    [Test]
    public void Write_EnumAsSymbolString_And_FixedAsBytes_AreAccepted()
    {
        var schema = new RecordSchema("S", "shop", [new AvroField("status", Status), new AvroField("hash", Hash)]);

        var decoded = (GenericRecord)RoundTrip(schema, new GenericRecord(schema, ["SHIPPED", new byte[] { 9, 8, 7, 6 }]))!;

        Assert.That(decoded["status"], Is.EqualTo(new GenericEnum(Status, "SHIPPED")));
        Assert.That(((GenericEnum)decoded["status"]!).Index, Is.EqualTo(2));
        Assert.That(decoded["hash"], Is.EqualTo(new GenericFixed(Hash, [9, 8, 7, 6])));
    }

    [Test]
    public void Write_RecordOfEqualSchemaFromAnotherParse_IsWrittenByPosition()
    {
        var json = Address.ToJson();
        var other = (RecordSchema)AvroSchema.Parse(json);

        var bytes = Encode(Address, new GenericRecord(other, ["x", 1]));

        Assert.That(Decode(Address, bytes), Is.EqualTo(new GenericRecord(Address, ["x", 1])));
    }

    [Test]
    public void Write_RecordOfSameNameWithReorderedFields_IsMatchedByName()
    {
        var reordered = new RecordSchema("Address", "shop",
            [new AvroField("zip", AvroSchema.Nullable(AvroSchema.Int)), new AvroField("street", AvroSchema.String)]);

        var bytes = Encode(Address, new GenericRecord(reordered, [5, "y"]));

        Assert.That(Decode(Address, bytes), Is.EqualTo(new GenericRecord(Address, ["y", 5])));
    }

    [Test]
    public void Write_ArraysAndListsOfAnyKind_AreAccepted()
    {
        var schema = AvroSchema.Array(AvroSchema.Long);

        Assert.That(Decode(schema, Encode(schema, new long[] { 1, 2 })), Is.EqualTo(new[] { 1L, 2L }));
        Assert.That(Decode(schema, Encode(schema, Enumerable.Range(1, 3).Select(i => (long)i))), Is.EqualTo(new[] { 1L, 2L, 3L }));
        Assert.That(Decode(AvroSchema.Map(AvroSchema.Int), Encode(AvroSchema.Map(AvroSchema.Int), new Dictionary<string, int> { ["a"] = 1 })),
            Is.EqualTo(new Dictionary<string, object?> { ["a"] = 1 }));
    }

    [Test]
    public void Read_WithBodyFromSpanSlice_ReadsExactlyThatDatum()
    {
        var body = Encode(AvroSchema.String, "abc");
        var framed = new byte[] { 9 }.Concat(body).Concat(new byte[] { 9 }).ToArray();

        Assert.That(new AvroDatumReader(AvroSchema.String).Read(framed.AsSpan(1, body.Length)), Is.EqualTo("abc"));
    }

    [Test]
    public void Read_SequenceOfDatums_WithSharedBinaryReader()
    {
        var bytes = Encode(AvroSchema.Int, 1).Concat(Encode(AvroSchema.Int, 2)).ToArray();
        var reader = new AvroBinaryReader(bytes);
        var datumReader = new AvroDatumReader(AvroSchema.Int);

        var first = datumReader.Read(ref reader);
        var second = datumReader.Read(ref reader);

        Assert.That(new[] { first, second }, Is.EqualTo(new object[] { 1, 2 }));
        Assert.That(reader.Remaining, Is.Zero);
    }

    [Test]
    public void GenericRecord_IndexerByName_ReadsAndWritesTheField()
    {
        var record = new GenericRecord(Address) { ["street"] = "a" };

        Assert.That(record[0], Is.EqualTo("a"));
        Assert.That(() => record["nope"], Throws.InstanceOf<KeyNotFoundException>().With.Message.Contains("no field 'nope'"));
        Assert.That(record.ToString(), Is.EqualTo("{\"street\": \"a\", \"zip\": null}"));
    }

    [Test]
    public void BigIntegerIntoDecimal_IsAnIntegerValue()
    {
        var decoded = RoundTrip(AvroSchema.Decimal(10, 2), new BigInteger(42));

        Assert.That(decoded, Is.EqualTo(new AvroDecimal(4200, 2)));
    }
}
