using System.Buffers;
using KafkaCdc.Shared.Avro;
using static KafkaCdc.Tests.Shared.Avro.AvroTestData;

namespace KafkaCdc.Tests.Shared.Avro;

public class BinaryPrimitiveTests
{
    [TestCase(0L, "00")]
    [TestCase(-1L, "01")]
    [TestCase(1L, "02")]
    [TestCase(-2L, "03")]
    [TestCase(2L, "04")]
    [TestCase(-64L, "7f")]
    [TestCase(64L, "8001")]
    [TestCase(long.MaxValue, "feffffffffffffffff01")]
    [TestCase(long.MinValue, "ffffffffffffffffff01")]
    public void Long_ZigZagVarint_MatchesSpecification(long value, string hex)
    {
        Assert.That(Hex(Encode(AvroSchema.Long, value)), Is.EqualTo(hex));
        Assert.That(Decode(AvroSchema.Long, Hex(hex)), Is.EqualTo(value));
    }

    [TestCase(int.MaxValue, "feffffff0f")]
    [TestCase(int.MinValue, "ffffffff0f")]
    [TestCase(300, "d804")]
    public void Int_ZigZagVarint_UsesAtMostFiveBytes(int value, string hex)
    {
        Assert.That(Hex(Encode(AvroSchema.Int, value)), Is.EqualTo(hex));
        Assert.That(Decode(AvroSchema.Int, Hex(hex)), Is.EqualTo(value));
    }

    [Test]
    public void String_IsLengthPrefixedUtf8()
    {
        Assert.That(Hex(Encode(AvroSchema.String, "foo")), Is.EqualTo("06666f6f"));
        Assert.That(Hex(Encode(AvroSchema.String, "é😀")), Is.EqualTo("0cc3a9f09f9880"));
        Assert.That(Hex(Encode(AvroSchema.String, "")), Is.EqualTo("00"));
    }

    [Test]
    public void FloatAndDouble_AreLittleEndianIeee()
    {
        Assert.That(Hex(Encode(AvroSchema.Float, 1.5f)), Is.EqualTo("0000c03f"));
        Assert.That(Hex(Encode(AvroSchema.Double, -2.0)), Is.EqualTo("00000000000000c0"));
        Assert.That((double)Decode(AvroSchema.Double, Encode(AvroSchema.Double, double.NaN))!, Is.NaN);
        Assert.That(Decode(AvroSchema.Float, Encode(AvroSchema.Float, float.NegativeInfinity)), Is.EqualTo(float.NegativeInfinity));
    }

    [Test]
    public void BooleanBytesAndNull_EncodeAsSpecified()
    {
        Assert.That(Hex(Encode(AvroSchema.Boolean, true)), Is.EqualTo("01"));
        Assert.That(Hex(Encode(AvroSchema.Boolean, false)), Is.EqualTo("00"));
        Assert.That(Hex(Encode(AvroSchema.Bytes, new byte[] { 1, 2, 255 })), Is.EqualTo("060102ff"));
        Assert.That(Encode(AvroSchema.Null, null), Is.Empty);
    }

    [Test]
    public void ArrayAndMap_AreOneCountedBlockThenZero()
    {
        Assert.That(Hex(Encode(AvroSchema.Array(AvroSchema.Long), new List<object?> { 3L, 27L })), Is.EqualTo("04063600"));
        Assert.That(Hex(Encode(AvroSchema.Array(AvroSchema.Long), new List<object?>())), Is.EqualTo("00"));
        Assert.That(Hex(Encode(AvroSchema.Map(AvroSchema.Int), new Dictionary<string, object?> { ["a"] = 1 })), Is.EqualTo("0202610200"));
    }

    [Test]
    public void Decode_NegativeBlockCount_ReadsTheByteSizeAndItems()
    {
        // count −2 (zig-zag 03), byte size 2 (04), items 3 and 27, end.
        var list = (List<object?>)Decode(AvroSchema.Array(AvroSchema.Long), Hex("0304063600"))!;

        Assert.That(list, Is.EqualTo(new object[] { 3L, 27L }));
    }

    [Test]
    public void Decode_SeveralBlocks_ConcatenatesThem()
    {
        var map = (Dictionary<string, object?>)Decode(AvroSchema.Map(AvroSchema.Int), Hex("02 0261 02 02 0262 04 00"))!;

        Assert.That(map, Is.EqualTo(new Dictionary<string, object?> { ["a"] = 1, ["b"] = 2 }));
    }

    [Test]
    public void Writer_SmallSegmentsFromOutput_StillWritesEverything()
    {
        var output = new ArrayBufferWriter<byte>(1);
        var value = new string('x', 5000);

        new AvroDatumWriter(AvroSchema.Array(AvroSchema.String)).Write(new List<object?> { value, value }, output);

        Assert.That(Decode(AvroSchema.Array(AvroSchema.String), output.WrittenSpan.ToArray()), Is.EqualTo(new[] { value, value }));
    }

    [Test]
    public void BinaryWriter_BytesWritten_CountsFlushedAndBuffered()
    {
        var output = new ArrayBufferWriter<byte>();
        var writer = new AvroBinaryWriter(output);

        writer.WriteLong(64);
        writer.WriteDouble(1);
        var beforeFlush = writer.BytesWritten;
        writer.Flush();

        Assert.That(beforeFlush, Is.EqualTo(10));
        Assert.That(output.WrittenCount, Is.EqualTo(10));
    }
}
