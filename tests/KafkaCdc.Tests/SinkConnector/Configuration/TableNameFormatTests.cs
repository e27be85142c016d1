using KafkaCdc.SinkConnector.Configuration;

namespace KafkaCdc.Tests.SinkConnector.Configuration;

public class TableNameFormatTests
{
    [TestCase("${topic}", "shop_orders", "public", "Orders", "shop_orders")]
    [TestCase("${source.table}", "shop_orders", "public", "Orders", "Orders")]
    [TestCase("${source.schema}_${source.table}", "t", "Sales \"EU\"", "Orders", "Sales \"EU\"_Orders")]
    [TestCase("copy of ${topic}", "t", null, null, "copy of t")]
    public void Render_ReplacesPlaceholders_Exactly(string format, string topic, string? schema, string? table, string expected)
    {
        var parsed = TableNameFormat.Parse(format, out var problem)!;

        Assert.That(problem, Is.Null);
        Assert.That(parsed.Render(topic, schema, table), Is.EqualTo(expected));
    }

    [Test]
    public void Render_WithoutSourceBlock_IsNullWhenTheFormatNeedsIt()
    {
        Assert.That(TableNameFormat.Parse("${source.table}", out _)!.Render("t", null, null), Is.Null);
    }

    [TestCase("", "must not be empty")]
    [TestCase("${topic}_${partition}", "unknown placeholder ${partition}; use ${topic}, ${source.schema}, ${source.table}")]
    public void Parse_RejectsBadFormats(string format, string expected)
    {
        Assert.That(TableNameFormat.Parse(format, out var problem), Is.Null);
        Assert.That(problem, Is.EqualTo(expected));
    }
}
