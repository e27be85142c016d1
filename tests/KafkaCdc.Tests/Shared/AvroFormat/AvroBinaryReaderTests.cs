using Avro;
using KafkaCdc.Shared.AvroFormat;
using static KafkaCdc.Tests.Shared.AvroFormat.AvroTestData;

namespace KafkaCdc.Tests.Shared.AvroFormat;

/// <summary>The sink fast path's primitive reader, on bytes Apache.Avro wrote, and on bytes no writer would write.</summary>
public class AvroBinaryReaderTests
{
    [TestCase(0L)]
    [TestCase(-1L)]
    [TestCase(64L)]
    [TestCase(-65L)]
    [TestCase(long.MaxValue)]
    [TestCase(long.MinValue)]
    public void ReadLong_ApacheAvroEncoding_GivesTheValue(long value)
    {
        var reader = new AvroBinaryReader(Encode(PrimitiveSchema.Create(Schema.Type.Long), value));

        Assert.That(reader.ReadLong(), Is.EqualTo(value));
        Assert.That(reader.Remaining, Is.Zero);
    }

    [TestCase(int.MaxValue)]
    [TestCase(int.MinValue)]
    [TestCase(300)]
    public void ReadInt_ApacheAvroEncoding_GivesTheValue(int value)
    {
        var reader = new AvroBinaryReader(Encode(PrimitiveSchema.Create(Schema.Type.Int), value));

        Assert.That(reader.ReadInt(), Is.EqualTo(value));
    }

    [Test]
    public void ReadPrimitives_ApacheAvroRecord_GivesEachFieldInOrder()
    {
        var schema = (RecordSchema)Schema.Parse("""
            {"type":"record","name":"P","fields":[{"name":"s","type":"string"},{"name":"f","type":"float"},{"name":"d","type":"double"},
              {"name":"b","type":"boolean"},{"name":"by","type":"bytes"}]}
            """);
        var body = Encode(schema, AvroSchemas.NewRecord(schema, "é😀", 1.5f, double.NaN, true, new byte[] { 1, 2, 255 }));
        var reader = new AvroBinaryReader(body);

        Assert.That(reader.ReadString(), Is.EqualTo("é😀"));
        Assert.That(reader.ReadFloat(), Is.EqualTo(1.5f));
        Assert.That(reader.ReadDouble(), Is.NaN);
        Assert.That(reader.ReadBoolean(), Is.True);
        Assert.That(reader.ReadBytes(), Is.EqualTo(new byte[] { 1, 2, 255 }));
        Assert.That(() => new AvroBinaryReader(body).ExpectEnd(), Throws.InstanceOf<AvroDecodingException>().With.Message.Contains("trailing bytes"));
    }

    [Test]
    public void ReadBlockCount_NegativeCount_SkipsTheByteSizeAndGivesTheCount()
    {
        // count −2 (zig-zag 03), byte size 2 (04), then the items.
        var reader = new AvroBinaryReader(Hex("0304063600"));

        Assert.That(reader.ReadBlockCount(), Is.EqualTo(2));
        Assert.That((reader.ReadLong(), reader.ReadLong(), reader.ReadBlockCount()), Is.EqualTo((3L, 27L, 0L)));
    }

    [TestCase("ffffffffffffffffffff01", "varint")]
    [TestCase("02", "exceeds the 0 bytes remaining")]
    [TestCase("0461", "exceeds the 1 bytes remaining")]
    [TestCase("02ff", "UTF-8")]
    public void ReadString_BadBytes_ThrowsDecodingExceptionWithTheOffset(string hex, string problem)
    {
        Assert.That(() => new AvroBinaryReader(Hex(hex)).ReadString(),
            Throws.InstanceOf<AvroDecodingException>().With.Message.Contains(problem).And.Message.Contains("at byte offset"));
    }

    [Test]
    public void ReadBoolean_ByteOtherThanZeroOrOne_Throws()
    {
        Assert.That(() => new AvroBinaryReader([2]).ReadBoolean(),
            Throws.InstanceOf<AvroDecodingException>().With.Message.Contains("invalid boolean byte 0x02"));
    }

    [Test]
    public void ReadInt_VarintBeyondInt_Throws()
    {
        var body = Encode(PrimitiveSchema.Create(Schema.Type.Long), (long)int.MaxValue + 1);

        Assert.That(() => new AvroBinaryReader(body).ReadInt(), Throws.InstanceOf<AvroDecodingException>());
    }

    [Test]
    public void ReadSince_GivesTheBytesReadFromAnEarlierPosition()
    {
        var reader = new AvroBinaryReader(Hex("02 06666f6f 04"));
        reader.ReadLong();
        var start = reader.Position;
        reader.ReadString();

        Assert.That(Hex(reader.ReadSince(start).ToArray()), Is.EqualTo("06666f6f"));
    }
}
