using System.Globalization;
using KafkaCdc.Tests.SinkConnector.Support;
using KafkaCdc.Tests.SourceConnector;

namespace KafkaCdc.Tests.Pipeline;

/// <summary>
/// Issue 15, soft deletes: source → Kafka → sink with <c>delete.mode=soft</c>. The destination keeps every row it ever
/// received; its unmarked rows equal the source, and the marked ones carry the source's commit time of their delete or
/// truncate.
/// </summary>
public class SoftDeletePipelineTests
{
    static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(90);

    [Test]
    public async Task DeletesReinsertsAndATruncate_UnmarkedRowsEqualTheSource_MarkedOnesCarryTheCommitTime()
    {
        await using var source = await SourceTestDatabase.CreateAsync("pipeline_softdel", "CREATE TABLE source_rows (id integer PRIMARY KEY, name text, qty integer)");
        var destination = await SinkDestination.CreateAsync("pipeline_softdel_dst");
        await using var connector = await InProcessConnector.StartStreamingAsync(source.Config());
        var topic = source.Topic("source_rows");
        await source.ExecuteAsync("INSERT INTO source_rows SELECT i, 'Row ' || i, i % 7 FROM generate_series(1, 100) i");
        await using var sink = InProcessSink.Start(SinkConfigs.For(destination, topic, ("delete.mode", "soft")));
        await UntilEqualAsync(source, destination, topic, "inserts", connector, sink);

        // now() is the transaction's start, so the commit time is between it and the clock read after the commit.
        var deletedFrom = await source.ScalarAsync<DateTime>(
            "WITH gone AS (DELETE FROM source_rows WHERE id BETWEEN 11 AND 30 RETURNING id) SELECT now() FROM (SELECT count(*) FROM gone) c");
        var deletedBy = await source.ScalarAsync<DateTime>("SELECT clock_timestamp()");
        await source.ExecuteAsync("UPDATE source_rows SET qty = qty + 100 WHERE id BETWEEN 31 AND 40");
        await UntilEqualAsync(source, destination, topic, "deletes and updates", connector, sink);
        Assert.That(await destination.ScalarAsync(
            $"SELECT count(*) FROM {destination.Schema}.{topic} WHERE __deleted AND __deleted_at BETWEEN '{Text(deletedFrom)}' AND '{Text(deletedBy)}'"),
            Is.EqualTo(20L), "the 20 deleted rows are kept, marked with the source's commit time");

        await source.ExecuteAsync("INSERT INTO source_rows SELECT i, 'Back ' || i, 0 FROM generate_series(11, 15) i");
        await UntilEqualAsync(source, destination, topic, "re-inserts of deleted keys", connector, sink);

        await source.ExecuteAsync("TRUNCATE source_rows");
        await Poll.UntilAsync(async () => await destination.ScalarAsync($"SELECT count(*) FILTER (WHERE NOT __deleted) FROM {destination.Schema}.{topic}") is 0L,
            s_timeout, "the truncate to mark every row at the destination");
        Assert.That(await destination.ScalarAsync($"SELECT count(*) FROM {destination.Schema}.{topic}"), Is.EqualTo(100L), "a truncate keeps the rows");
        Assert.That(await destination.ScalarAsync(
            $"SELECT count(*) FROM {destination.Schema}.{topic} WHERE id BETWEEN 16 AND 30 AND __deleted_at BETWEEN '{Text(deletedFrom)}' AND '{Text(deletedBy)}'"),
            Is.EqualTo(15L), "rows deleted before the truncate keep their own time");

        await source.ExecuteAsync("INSERT INTO source_rows SELECT i, 'After ' || i, 1 FROM generate_series(95, 110) i");
        await UntilEqualAsync(source, destination, topic, "inserts after the truncate", connector, sink);
        Assert.That(await destination.ScalarAsync($"SELECT count(*) FROM {destination.Schema}.{topic}"), Is.EqualTo(110L));
    }

    static string Text(DateTime utc) => utc.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture) + "+00";

    static Task UntilEqualAsync(SourceTestDatabase source, SinkDestination destination, string table, string what,
        InProcessConnector connector, InProcessSink sink) =>
        PipelineCompare.UntilEqualAsync(source, "source_rows", destination, table, what, connector, sink, s_timeout, destinationWhere: "NOT t.__deleted");
}
