using KafkaCdc.Shared.Avro;
using static KafkaCdc.Tests.Shared.Avro.AvroTestData;

namespace KafkaCdc.Tests.Shared.Avro;

public class DecodingErrorTests
{
    private static readonly RecordSchema Row = (RecordSchema)AvroSchema.Parse("""
        {"type":"record","name":"Row","fields":[
          {"name":"id","type":"long"},
          {"name":"name","type":"string"},
          {"name":"kind","type":{"type":"enum","name":"Kind","symbols":["A","B"]}},
          {"name":"note","type":["null","string"]},
          {"name":"tags","type":{"type":"array","items":"string"}}]}
        """);

    private static AvroDecodingException DecodeFails(AvroSchema schema, string hex) =>
        Assert.Throws<AvroDecodingException>(() => Decode(schema, Hex(hex)))!;

    [Test]
    public void Read_TruncatedBody_ThrowsWithOffsetAndPath()
    {
        // id 1, name length 3 but only "ab".
        var error = DecodeFails(Row, "02 06 6162");

        Assert.That(error.Message, Is.EqualTo("Row.name: length 3 exceeds the 2 bytes remaining (at byte offset 1)"));
        Assert.That(error.Offset, Is.EqualTo(1));
        Assert.That(error.Path, Is.EqualTo("Row.name"));
    }

    [Test]
    public void Read_EmptyBodyForRecord_ThrowsTruncated()
    {
        Assert.That(DecodeFails(Row, "").Message, Is.EqualTo("Row.id: truncated varint: the data ends inside it (at byte offset 0)"));
    }

    [Test]
    public void Read_UnionIndexOutOfRange_Throws()
    {
        var error = DecodeFails(Row, "02 00 00 04");

        Assert.That(error.Message, Is.EqualTo("Row.note: union index 2 out of range: the union has 2 branches (at byte offset 3)"));
    }

    [Test]
    public void Read_NegativeUnionIndex_Throws()
    {
        Assert.That(DecodeFails(AvroSchema.Union(AvroSchema.Null, AvroSchema.Int), "01").Message, Does.StartWith("union index -1 out of range"));
    }

    [Test]
    public void Read_EnumIndexOutOfRange_Throws()
    {
        Assert.That(DecodeFails(Row, "02 00 04").Message, Is.EqualTo("Row.kind: enum index 2 out of range: 'Kind' has 2 symbols (at byte offset 2)"));
    }

    [Test]
    public void Read_NegativeStringLength_Throws()
    {
        Assert.That(DecodeFails(AvroSchema.String, "01").Message, Is.EqualTo("negative length -1 for bytes or string (at byte offset 0)"));
    }

    [Test]
    public void Read_HugeLength_IsRejectedBeforeAllocating()
    {
        Assert.That(DecodeFails(AvroSchema.Bytes, "feffffffffffffffff01").Message, Does.StartWith("length 9223372036854775807 exceeds the 0 bytes remaining"));
    }

    [Test]
    public void Read_VarintLongerThanTenBytes_Throws()
    {
        Assert.That(DecodeFails(AvroSchema.Long, "ffffffffffffffffff02").Message, Does.StartWith("varint exceeds 64 bits"));
        Assert.That(DecodeFails(AvroSchema.Long, "80808080808080808080").Message, Does.StartWith("varint longer than 10 bytes"));
    }

    [Test]
    public void Read_IntBeyond32Bits_Throws()
    {
        Assert.That(DecodeFails(AvroSchema.Int, "8080808010").Message, Does.StartWith("int value 2147483648 is out of the 32-bit range"));
    }

    [Test]
    public void Read_InvalidUtf8_Throws()
    {
        var error = DecodeFails(Row, "02 06 61ff62");

        Assert.That(error.Message, Does.StartWith("Row.name: string is not valid UTF-8"));
        Assert.That(error.Offset, Is.EqualTo(3));
    }

    [Test]
    public void Read_TrailingBytes_Throw()
    {
        Assert.That(DecodeFails(AvroSchema.Int, "02 00").Message, Is.EqualTo("1 trailing bytes after the datum (at byte offset 1)"));
    }

    [Test]
    public void Read_BooleanOtherThanZeroOrOne_Throws()
    {
        Assert.That(DecodeFails(AvroSchema.Boolean, "02").Message, Does.StartWith("invalid boolean byte 0x02"));
    }

    [Test]
    public void Read_BlockCountBeyondRemainingBytes_IsRejectedBeforeAllocating()
    {
        var error = DecodeFails(Row, "02 00 00 00 feffffff0f");

        Assert.That(error.Message, Does.StartWith("Row.tags: block count 2147483647 exceeds what the 0 remaining bytes can hold"));
    }

    [Test]
    public void Read_ManyZeroByteItems_AreCapped()
    {
        Assert.That(DecodeFails(AvroSchema.Array(AvroSchema.Null), "feffffffffffffffff01").Message, Does.Contain("zero-byte items exceeds the limit"));
        Assert.That(((List<object?>)Decode(AvroSchema.Array(AvroSchema.Null), Hex("06 00"))!).Count, Is.EqualTo(3));
    }

    [Test]
    public void Read_NegativeBlockCountWithBadSize_Throws()
    {
        Assert.That(DecodeFails(AvroSchema.Array(AvroSchema.Int), "01 01").Message, Does.StartWith("block size -1 is negative"));
        Assert.That(DecodeFails(AvroSchema.Array(AvroSchema.Int), "ffffffffffffffffff01").Message, Does.StartWith("block count out of range"));
    }

    [Test]
    public void Read_BadItemInArray_NamesTheIndex()
    {
        Assert.That(DecodeFails(Row, "02 00 00 00 04 00 01").Message, Does.StartWith("Row.tags[1]: negative length -1"));
    }

    [Test]
    public void Read_DeeplyNestedRecursiveData_ThrowsInsteadOfOverflowingTheStack()
    {
        var node = (RecordSchema)AvroSchema.Parse("""{"type":"record","name":"Node","fields":[{"name":"next","type":["null","Node"]}]}""");
        var body = Enumerable.Repeat((byte)0x02, 100_000).Append((byte)0).ToArray();

        Assert.That(() => new AvroDatumReader(node).Read(body), Throws.InstanceOf<AvroDecodingException>().With.Message.Contains("records nest more than"));
    }

    [Test]
    public void Read_MapWithBadValue_NamesTheKey()
    {
        Assert.That(DecodeFails(AvroSchema.Map(AvroSchema.Boolean), "02 026b 07 00").Message, Does.StartWith("[\"k\"]: invalid boolean byte 0x07"));
    }
}
