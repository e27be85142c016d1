using KafkaCdc.Demo.Verdict;
using Npgsql;

namespace KafkaCdc.Tests.Demo;

/// <summary>
/// The demo's verdict (scripts/run.sh, Ctrl-C) compares on content: equal tables pass, and a changed value, a missing
/// row or a column the destination lacks each fail naming the first key that differs.
/// </summary>
public class TableComparisonTests
{
    string _source = "";
    string _destination = "";

    [SetUp]
    public async Task CreateDatabasesAsync()
    {
        _source = await TestEnvironment.CreateDatabaseAsync("demo_compare_source");
        _destination = await TestEnvironment.CreateDatabaseAsync("demo_compare_destination");
        const string Rows = "(id bigint PRIMARY KEY, name text, amount numeric(10,2), tags text[], seen timestamptz, payload jsonb);" +
            "INSERT INTO {0} SELECT i, 'row ' || i, i / 4.0, ARRAY['a, b', 'c'], TIMESTAMPTZ '2026-01-01 00:00+00' + i * INTERVAL '1 hour', " +
            "jsonb_build_object('n', i) FROM generate_series(1, 500) i";
        await ExecuteAsync(_source, "CREATE TABLE public.items " + string.Format(Rows, "public.items"));
        await ExecuteAsync(_destination, "CREATE SCHEMA kafkacdc; CREATE TABLE kafkacdc.shop_items " + string.Format(Rows, "kafkacdc.shop_items"));
    }

    [Test]
    public async Task Compare_SameRows_IsEqual()
    {
        var verdict = await CompareAsync();

        Assert.That(verdict, Is.EqualTo(new TableVerdict("items", 500, 500, true, null)));
    }

    [Test]
    public async Task Compare_OneValueDiffers_NamesItsKeyAndBothValues()
    {
        await ExecuteAsync(_destination, "UPDATE kafkacdc.shop_items SET amount = amount + 0.01 WHERE id = 321");

        var verdict = await CompareAsync();

        Assert.That(verdict.Equal, Is.False);
        Assert.That(verdict.FirstDifference, Does.StartWith("key (321): source (321,\"row 321\",80.25,").And.Contain("destination (321,\"row 321\",80.26,"));
    }

    [Test]
    public async Task Compare_RowMissingAtTheDestination_NamesItsKey()
    {
        await ExecuteAsync(_destination, "DELETE FROM kafkacdc.shop_items WHERE id IN (77, 400)");

        var verdict = await CompareAsync();

        Assert.That(verdict with { FirstDifference = null }, Is.EqualTo(new TableVerdict("items", 500, 498, false, null)));
        Assert.That(verdict.FirstDifference, Is.EqualTo("key (77) at the source, (78) at the destination in its place"));
    }

    [Test]
    public async Task Compare_ColumnOnlyAtTheSource_Differs()
    {
        await ExecuteAsync(_source, "ALTER TABLE public.items ADD COLUMN points integer NOT NULL DEFAULT 0");

        var verdict = await CompareAsync();

        Assert.That(verdict.Equal, Is.False);
        Assert.That(verdict.FirstDifference, Does.StartWith("key (1): source (1,").And.Contain(",0), destination (1,").And.EndWith(",)"));
    }

    [Test]
    public async Task Compare_NoDestinationTable_Differs()
    {
        await ExecuteAsync(_destination, "DROP TABLE kafkacdc.shop_items");

        var verdict = await CompareAsync();

        Assert.That(verdict, Is.EqualTo(new TableVerdict("items", 500, null, false, "the destination table does not exist")));
    }

    Task<TableVerdict> CompareAsync() =>
        new TableComparison(_source, _destination).CompareAsync("items", "\"kafkacdc\".\"shop_items\"", CancellationToken.None);

    static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
