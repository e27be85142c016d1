using KafkaCdc.Shared.Postgres;

namespace KafkaCdc.Tests.Shared.Postgres;

public class PgArrayLiteralTests
{
    [Test]
    public void Parse_QuotedElements_UnescapesBackslashes()
    {
        var literal = PgArrayLiteral.Parse("{a,\"b c\",\"x\\\\\\\"y\",\"{,}\"}");

        Assert.That(literal.Elements, Is.EqualTo(new object?[] { "a", "b c", "x\\\"y", "{,}" }));
        Assert.That(literal.Dimensions, Is.EqualTo(1));
        Assert.That(literal.HasExplicitBounds, Is.False);
    }

    [Test]
    public void Parse_NullWordUnquoted_IsNullButQuotedIsText() =>
        Assert.That(PgArrayLiteral.Parse("{NULL,\"NULL\",null,\"\"}").Elements, Is.EqualTo(new object?[] { null, "NULL", null, "" }));

    [Test]
    public void Parse_Empty_HasNoDimensions()
    {
        var literal = PgArrayLiteral.Parse("{}");
        Assert.That(literal.Elements, Is.Empty);
        Assert.That(literal.Dimensions, Is.Zero);
    }

    [Test]
    public void Parse_TwoDimensions_GivesNestedLists()
    {
        var literal = PgArrayLiteral.Parse("{{1,2},{NULL,4}}");

        Assert.That(literal.Dimensions, Is.EqualTo(2));
        Assert.That(literal.Elements, Is.EqualTo(new object?[] { new List<object?> { "1", "2" }, new List<object?> { null, "4" } }));
    }

    [Test]
    public void Parse_ExplicitLowerBounds_AreReported()
    {
        var literal = PgArrayLiteral.Parse("[2:3]={1,2}");
        Assert.That(literal.HasExplicitBounds, Is.True);
        Assert.That(literal.Elements, Is.EqualTo(new object?[] { "1", "2" }));
        Assert.That(PgArrayLiteral.Parse("[0:1][1:1]={{1},{2}}").Dimensions, Is.EqualTo(2));
    }

    [Test]
    public void Parse_WhiteSpaceAroundUnquotedElements_IsDropped() =>
        Assert.That(PgArrayLiteral.Parse(" { a b ,\tc\\ , \"d\" } ").Elements, Is.EqualTo(new object?[] { "a b", "c ", "d" }));

    [Test]
    public void Parse_BoxDelimiter_SplitsOnSemicolon() =>
        Assert.That(PgArrayLiteral.Parse("{(1,1),(0,0);(2,2),(1,1)}", ';').Elements, Is.EqualTo(new object?[] { "(1,1),(0,0)", "(2,2),(1,1)" }));

    [Test]
    public void Parse_NonBmpCharacters_AreKept() =>
        Assert.That(PgArrayLiteral.Parse("{😀,\"a 😀\"}").Elements, Is.EqualTo(new object?[] { "😀", "a 😀" }));

    [TestCase("")]
    [TestCase("1,2")]
    [TestCase("{1,2")]
    [TestCase("{1,2}x")]
    [TestCase("{\"a\"b}")]
    [TestCase("{{1,2},{3}}")]
    [TestCase("{{1},2}")]
    [TestCase("{1,{2}}")]
    [TestCase("{{}}")]
    [TestCase("{1,,2}")]
    [TestCase("{\"abc}")]
    [TestCase("[1:2={1,2}")]
    public void Parse_Malformed_Throws(string text) =>
        Assert.That(() => PgArrayLiteral.Parse(text), Throws.TypeOf<FormatException>());

    [Test]
    public void Format_ElementsNeedingQuotes_AreQuotedLikeArrayOut()
    {
        var text = PgArrayLiteral.Format(new List<object?> { "a", "b c", "", "NULL", "nUlL", null, "x\\\"y", "{", "}", ",", "tab\t", "😀" }, ',', v => (string)v);
        Assert.That(text, Is.EqualTo("{a,\"b c\",\"\",\"NULL\",\"nUlL\",NULL,\"x\\\\\\\"y\",\"{\",\"}\",\",\",\"tab\t\",😀}"));
    }

    [Test]
    public void Format_NestedLists_GiveSubArrays() =>
        Assert.That(PgArrayLiteral.Format(new List<object?> { new List<object?> { 1, 2 }, new List<object?> { null, 4 } }, ',', v => v.ToString()!),
            Is.EqualTo("{{1,2},{NULL,4}}"));

    [Test]
    public void Format_BoxElements_AreNotQuotedForTheirCommas() =>
        Assert.That(PgArrayLiteral.Format(new List<object?> { "(1,1),(0,0)", "(2,2),(1,1)" }, ';', v => (string)v),
            Is.EqualTo("{(1,1),(0,0);(2,2),(1,1)}"));

    [Test]
    public void Format_Empty_GivesBraces() =>
        Assert.That(PgArrayLiteral.Format(new List<object?>(), ',', v => (string)v), Is.EqualTo("{}"));

    [TestCase("{a,\"b c\",NULL,\"NULL\",\"\",\"x\\\\\\\"y\"}")]
    [TestCase("{{\"a,b\",c},{NULL,\" \"}}")]
    [TestCase("{}")]
    public void ParseThenFormat_GivesTheSameText(string text)
    {
        var literal = PgArrayLiteral.Parse(text);
        Assert.That(PgArrayLiteral.Format(literal.Elements.ToList(), ',', v => (string)v), Is.EqualTo(text));
    }
}
