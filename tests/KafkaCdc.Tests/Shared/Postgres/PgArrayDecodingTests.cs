using Avro;
using KafkaCdc.Shared.Postgres;
using static KafkaCdc.Tests.Shared.Postgres.PgTestColumns;

namespace KafkaCdc.Tests.Shared.Postgres;

public class PgArrayDecodingTests
{
    [Test]
    public void Decode_IntArray_GivesListOfInts() =>
        Assert.That(Decode(Of("int4", dimensions: 1), "{1,NULL,-3}"), Is.EqualTo(new List<object?> { 1, null, -3 }));

    [Test]
    public void Decode_TwoDimensionalArray_GivesNestedLists() =>
        Assert.That(Decode(Of("int4", dimensions: 2), "{{1,2},{3,NULL}}"),
            Is.EqualTo(new List<object?> { new List<object?> { 1, 2 }, new List<object?> { 3, null } }));

    [Test]
    public void Decode_TextArray_KeepsNullWordAndQuotes() =>
        Assert.That(Decode(Of("text", dimensions: 1), "{NULL,\"NULL\",\"\",\"a\\\"b\\\\c\",\"x,y\"}"),
            Is.EqualTo(new List<object?> { null, "NULL", "", "a\"b\\c", "x,y" }));

    [TestCase(1)]
    [TestCase(2)]
    public void Decode_EmptyArray_GivesEmptyList(int dimensions) =>
        Assert.That(Decode(Of("int4", dimensions: dimensions), "{}"), Is.EqualTo(new List<object?>()));

    [Test]
    public void Decode_ExplicitLowerBounds_UsesStringBranch() =>
        Assert.That(Decode(Of("int4", dimensions: 1), "[2:3]={1,2}"), Is.EqualTo("[2:3]={1,2}"));

    [TestCase(1, "{{1,2},{3,4}}")]
    [TestCase(2, "{1,2}")]
    [TestCase(2, "{{{1}}}")]
    public void Decode_DimensionMismatch_UsesStringBranch(int dimensions, string text) =>
        Assert.That(Decode(Of("int4", dimensions: dimensions), text), Is.EqualTo(text));

    [Test]
    public void Decode_BoxArray_SplitsOnSemicolon() =>
        Assert.That(Decode(Of("box", dimensions: 1), "{(1,1),(0,0);(2,2),(1,1)}"), Is.EqualTo(new List<object?> { "(1,1),(0,0)", "(2,2),(1,1)" }));

    [Test]
    public void Decode_NumericArray_MixesDecimalsAndSpecialValues() =>
        Assert.That(Decode(Of("numeric", NumericModifier(5, 2), 1), "{1.50,NaN,-Infinity,NULL}"),
            Is.EqualTo(new List<object?> { new AvroDecimal(150, 2), "NaN", "-Infinity", null }));

    [Test]
    public void Decode_DateArray_ConvertsEachElement() =>
        Assert.That(Decode(Of("date", dimensions: 1), "{1970-01-02,infinity,\"0001-12-31 BC\"}"),
            Is.EqualTo(new List<object?> { 1, int.MaxValue, -719163 }));

    [Test]
    public void Decode_BadElement_ThrowsNamingColumn() =>
        Assert.That(() => Decode(Of("int4", dimensions: 1, name: "ids"), "{1,x}"),
            Throws.TypeOf<PgValueDecodingException>().With.Message.Contains("\"ids\""));

    [Test]
    public void Decode_MalformedLiteral_Throws() =>
        Assert.That(() => Decode(Of("int4", dimensions: 1), "{1,2"), Throws.TypeOf<PgValueDecodingException>());

    [Test]
    public void ValueType_TwoDimensionalArray_NestsNullableItemsThenString()
    {
        var decoder = PgColumnDecoder.Create(Of("int4", dimensions: 2), PgAvroOptions.Default);
        Assert.That(decoder.ValueType.ToString(),
            Is.EqualTo("[{\"type\":\"array\",\"items\":{\"type\":\"array\",\"items\":[\"null\",\"int\"]}},\"string\"]"));
    }
}
