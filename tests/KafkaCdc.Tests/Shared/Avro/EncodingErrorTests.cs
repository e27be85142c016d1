using KafkaCdc.Shared.Avro;
using static KafkaCdc.Tests.Shared.Avro.AvroTestData;

namespace KafkaCdc.Tests.Shared.Avro;

public class EncodingErrorTests
{
    private static readonly RecordSchema Value = (RecordSchema)AvroSchema.Parse("""
        {"type":"record","name":"Envelope","namespace":"cdc","fields":[
          {"name":"after","type":["null",{"type":"record","name":"Value","fields":[
            {"name":"amount","type":"long"},
            {"name":"tags","type":{"type":"array","items":"string"}},
            {"name":"attrs","type":{"type":"map","values":"int"}},
            {"name":"status","type":{"type":"enum","name":"Status","symbols":["A"]}},
            {"name":"hash","type":{"type":"fixed","name":"Hash","size":2}}]}]}]}
        """);

    private static readonly RecordSchema Inner = (RecordSchema)((UnionSchema)Value.GetField("after").Schema).Branches[1];

    private static GenericRecord Envelope(object? amount, object? tags = null, object? attrs = null, object? status = null, object? hash = null) =>
        new(Value, [new GenericRecord(Inner, [
            amount,
            tags ?? new List<object?>(),
            attrs ?? new Dictionary<string, object?>(),
            status ?? "A",
            hash ?? new byte[2]])]);

    [Test]
    public void Write_WrongTypeInNestedField_NamesThePath()
    {
        Assert.That(() => Encode(Value, Envelope("12")),
            Throws.InstanceOf<AvroEncodingException>().With.Message.EqualTo("Envelope.after.amount: expected long, got String")
                .And.Property(nameof(AvroEncodingException.Path)).EqualTo("Envelope.after.amount"));
    }

    [Test]
    public void Write_NullForNonNullableField_NamesThePath()
    {
        Assert.That(() => Encode(Value, Envelope(null)),
            Throws.InstanceOf<AvroEncodingException>().With.Message.EqualTo("Envelope.after.amount: expected long, got null"));
    }

    [Test]
    public void Write_WrongArrayItem_NamesTheIndex()
    {
        Assert.That(() => Encode(Value, Envelope(1L, tags: new List<object?> { "a", 2 })),
            Throws.InstanceOf<AvroEncodingException>().With.Message.EqualTo("Envelope.after.tags[1]: expected string, got Int32"));
    }

    [Test]
    public void Write_WrongMapValue_NamesTheKey()
    {
        Assert.That(() => Encode(Value, Envelope(1L, attrs: new Dictionary<string, object?> { ["k"] = "v" })),
            Throws.InstanceOf<AvroEncodingException>().With.Message.EqualTo("Envelope.after.attrs[\"k\"]: expected int, got String"));
    }

    [Test]
    public void Write_UnknownEnumSymbol_Throws()
    {
        Assert.That(() => Encode(Value, Envelope(1L, status: "B")),
            Throws.InstanceOf<AvroEncodingException>().With.Message.EqualTo("Envelope.after.status: enum 'cdc.Status' has no symbol 'B'"));
    }

    [Test]
    public void Write_FixedOfWrongSize_Throws()
    {
        Assert.That(() => Encode(Value, Envelope(1L, hash: new byte[3])),
            Throws.InstanceOf<AvroEncodingException>().With.Message.EqualTo("Envelope.after.hash: fixed 'cdc.Hash' holds 2 bytes, got 3"));
    }

    [Test]
    public void Write_RecordOfOtherName_Throws()
    {
        var other = new RecordSchema("Other", null, []);

        Assert.That(() => Encode(Inner, new GenericRecord(other)),
            Throws.InstanceOf<AvroEncodingException>().With.Message.EqualTo("Value: expected record 'cdc.Value', got record 'Other'"));
    }

    [Test]
    public void Write_IntFieldGivenLong_IsNotNarrowed()
    {
        Assert.That(() => Encode(AvroSchema.Int, 1L), Throws.InstanceOf<AvroEncodingException>().With.Message.EqualTo("expected int, got Int64"));
    }

    [Test]
    public void Write_UnpairedSurrogate_Throws()
    {
        Assert.That(() => Encode(AvroSchema.String, "a\ud800b"),
            Throws.InstanceOf<AvroEncodingException>().With.Message.Contains("unpaired surrogate at index 1"));
    }

    [Test]
    public void Write_TimeSpanBeyondADay_Throws()
    {
        Assert.That(() => Encode(AvroSchema.TimeMicros, TimeSpan.FromHours(25)),
            Throws.InstanceOf<AvroEncodingException>().With.Message.Contains("outside 00:00 to 24:00"));
    }

    [Test]
    public void Write_CyclicRecordValue_ThrowsInsteadOfOverflowingTheStack()
    {
        var node = (RecordSchema)AvroSchema.Parse("""{"type":"record","name":"Node","fields":[{"name":"next","type":["null","Node"]}]}""");
        var cyclic = new GenericRecord(node);
        cyclic[0] = cyclic;

        Assert.That(() => Encode(node, cyclic), Throws.InstanceOf<AvroEncodingException>().With.Message.Contains("does the value contain itself?"));
    }
}
