using KafkaCdc.SinkConnector.Batching;
using KafkaCdc.SinkConnector.Decoding;

namespace KafkaCdc.Tests.SinkConnector.Batching;

public class KeyReductionTests
{
    static RowChange Change(string key, long offset, bool delete = false, string?[]? values = null, bool[]? unavailable = null) =>
        new(new ChangeRecord { Topic = "t", Partition = 0, Offset = offset, Action = delete ? RecordAction.Delete : RecordAction.Upsert },
            delete, values ?? [key, $"v{offset}"], unavailable, key);

    [Test]
    public void LastChangeOfEachKeyWins_DeletesIncluded_InTheOrderOfTheLastChange()
    {
        var reduced = KeyReduction.Reduce([Change("a", 0), Change("b", 1), Change("a", 2), Change("c", 3), Change("b", 4, delete: true), Change("c", 5)]);

        Assert.That(reduced.Select(r => (r.Key, r.Record.Offset, r.IsDelete)), Is.EqualTo(new[] { ("a", 2L, false), ("b", 4L, true), ("c", 5L, false) }));
    }

    [Test]
    public void DeleteThenInsert_KeepsTheInsert()
    {
        var reduced = KeyReduction.Reduce([Change("a", 0), Change("a", 1, delete: true), Change("a", 2)]);

        Assert.That(reduced.Single().Record.Offset, Is.EqualTo(2));
    }

    [Test]
    public void Placeholder_TakesTheValueOfTheChangeItReplaces()
    {
        var insert = Change("a", 0, values: ["a", "big text", "x"]);
        var update = Change("a", 1, values: ["a", null, "y"], unavailable: [false, true, false]);

        var reduced = KeyReduction.Reduce([insert, update]).Single();

        Assert.That(reduced.Values, Is.EqualTo(new[] { "a", "big text", "y" }));
        Assert.That(reduced.HasUnavailable, Is.False);
    }

    [Test]
    public void Placeholder_AfterAPlaceholderOrADelete_StaysAPlaceholder()
    {
        var first = Change("a", 0, values: ["a", null, "x"], unavailable: [false, true, false]);
        var second = Change("a", 1, values: ["a", null, "y"], unavailable: [false, true, false]);
        Assert.That(KeyReduction.Reduce([first, second]).Single().Unavailable, Is.EqualTo(new[] { false, true, false }));

        var third = Change("b", 2, values: ["b", null, "z"], unavailable: [false, true, false]);
        Assert.That(KeyReduction.Reduce([Change("b", 1, delete: true), third]).Single().HasUnavailable, Is.True);
    }

    [Test]
    public void KeepingDeletedRows_TheLastUpsertSurvivesBesideTheFirstDeleteAfterIt_AndAnUpsertAfterADeleteWins()
    {
        var reduced = KeyReduction.ReduceKeepingDeletedRows([
            Change("a", 0), Change("a", 1), Change("a", 2, delete: true), Change("a", 3, delete: true),
            Change("b", 4, delete: true), Change("b", 5), Change("c", 6, delete: true), Change("c", 7, delete: true),
            Change("d", 8), Change("d", 9, delete: true), Change("d", 10)]);

        Assert.That(reduced.Select(r => (r.Key, r.Record.Offset, r.IsDelete)), Is.EqualTo(new[]
        {
            ("a", 1L, false), ("a", 2L, true), ("b", 5L, false), ("c", 6L, true), ("d", 10L, false),
        }));
    }
}
