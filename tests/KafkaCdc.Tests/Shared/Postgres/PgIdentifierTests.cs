using KafkaCdc.Shared.Postgres;

namespace KafkaCdc.Tests.Shared.Postgres;

public class PgIdentifierTests
{
    [TestCase("orders", "\"orders\"")]
    [TestCase("Order \"Id\"", "\"Order \"\"Id\"\"\"")]
    [TestCase("Zoë 😀", "\"Zoë 😀\"")]
    public void Quote_Identifier_DoublesInnerQuotes(string name, string expected) =>
        Assert.That(PgIdentifier.Quote(name), Is.EqualTo(expected));

    [Test]
    public void Quote_QualifiedName_QuotesEachPart() =>
        Assert.That(PgIdentifier.Quote("my schema", "Orders"), Is.EqualTo("\"my schema\".\"Orders\""));

    [TestCase("")]
    [TestCase("a\0b")]
    public void Quote_InvalidIdentifier_Throws(string name) =>
        Assert.That(() => PgIdentifier.Quote(name), Throws.ArgumentException);
}
