using KafkaCdc.Shared.Postgres;

namespace KafkaCdc.Tests.Shared.Postgres;

public class PgAvroNamesTests
{
    [TestCase("order_id", "order_id")]
    [TestCase("Order Id", "Order_Id")]
    [TestCase("2024 total", "_2024_total")]
    [TestCase("Zoë", "Zo_")]
    [TestCase("a😀b", "a_b")]
    [TestCase("a-b.c", "a_b_c")]
    [TestCase("", "_")]
    public void Sanitize_Name_ReplacesCharactersOutsideAvroNames(string name, string expected) =>
        Assert.That(PgAvroNames.Sanitize(name), Is.EqualTo(expected));

    [Test]
    public void FieldNames_CollidingColumns_LaterGetSuffixes() =>
        Assert.That(PgAvroNames.FieldNames(["a b", "a_b", "a-b", "a_b_2", "x"]), Is.EqualTo(new[] { "a_b", "a_b_2", "a_b_3", "a_b_2_2", "x" }));

    [Test]
    public void Namespace_Parts_AreSanitisedEach() =>
        Assert.That(PgAvroNames.Namespace("my-db", "Sales Data", "2024.orders"), Is.EqualTo("kafkacdc.my_db.Sales_Data._2024_orders"));
}
