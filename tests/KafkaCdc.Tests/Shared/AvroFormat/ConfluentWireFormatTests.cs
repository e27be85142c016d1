using KafkaCdc.Shared.AvroFormat;
using static KafkaCdc.Tests.Shared.AvroFormat.AvroTestData;

namespace KafkaCdc.Tests.Shared.AvroFormat;

public class ConfluentWireFormatTests
{
    [Test]
    public void Frame_PutsMagicByteAndBigEndianIdBeforeTheBody()
    {
        Assert.That(Hex(ConfluentWireFormat.Frame(0x01020304, [0xaa, 0xbb])), Is.EqualTo("0001020304aabb"));
    }

    [Test]
    public void WriteDatum_ThenReadHeader_GivesTheIdAndADecodableBody()
    {
        var framed = ConfluentWireFormat.Frame(42, Encode(AvroSchemas.String, "hello"));

        var body = ConfluentWireFormat.ReadHeader(framed, out var schemaId);

        Assert.That(schemaId, Is.EqualTo(42));
        Assert.That(new AvroGenericReader(AvroSchemas.String).Read(body), Is.EqualTo("hello"));
    }

    [Test]
    public void ReadHeader_WrongMagicByte_ThrowsStatingTheByteFound()
    {
        Assert.That(() => ConfluentWireFormat.ReadHeader(Hex("7b22613a"), out _),
            Throws.InstanceOf<AvroDecodingException>().With.Message.Contains("too short"));
        Assert.That(() => ConfluentWireFormat.ReadHeader(Hex("7b2261223a317d"), out _),
            Throws.InstanceOf<AvroDecodingException>().With.Message.StartsWith("first byte is 0x7b, not the Confluent magic byte 0x00"));
    }

    [TestCase(0)]
    [TestCase(4)]
    public void ReadHeader_FewerThanFiveBytes_ThrowsStatingTheLength(int length)
    {
        Assert.That(() => ConfluentWireFormat.ReadHeader(new byte[length], out _),
            Throws.InstanceOf<AvroDecodingException>().With.Message.StartsWith($"message of {length} bytes is too short"));
    }

    [Test]
    public void TryReadHeader_ReportsWhetherTheMessageIsFramed()
    {
        Assert.That(ConfluentWireFormat.TryReadHeader(Hex("00000000ff01"), out var id, out var body), Is.True);
        Assert.That((id, Hex(body.ToArray())), Is.EqualTo((255, "01")));
        Assert.That(ConfluentWireFormat.TryReadHeader(Hex("01000000ff"), out _, out _), Is.False);
        Assert.That(ConfluentWireFormat.TryReadHeader(Hex("00"), out _, out _), Is.False);
    }

    [Test]
    public void WriteHeader_NegativeId_Throws()
    {
        Assert.That(() => ConfluentWireFormat.Frame(-1, []), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }
}
