using KafkaCdc.Tests.Shared.Postgres.Integration;
using KafkaCdc.Tests.SinkConnector.Support;
using KafkaCdc.Tests.SourceConnector;

namespace KafkaCdc.Tests.Pipeline;

/// <summary>
/// Issue 15, connection poolers: source → Kafka → sink, the sink connected through a real PgBouncer in transaction
/// mode (<see cref="PgBouncerProcess"/>) with two tasks, every type and operation, a new column and a truncate. The sink
/// user's own defaults for the settings that shape text (DateStyle, IntervalStyle, TimeZone, extra_float_digits,
/// bytea_output) differ from the source's, as the server sessions a pooler hands out may: the sink sets its own in each
/// transaction. (The texts the type layer writes read the same under any of those; only <c>lc_monetary</c> changes how
/// <c>money</c> is read, and this machine has no locale but C to set it to.)
/// </summary>
public class PoolerPipelineTests
{
    [Test]
    public async Task EveryTypeAndOperation_ThroughATransactionPooler_DestinationEqualsSource()
    {
        await using var source = await SourceTestDatabase.CreateAsync("pipeline_pooled", TypeRoundTripRows.Setup);
        var destination = await SinkDestination.CreateAsync("pipeline_pooled_dst");
        await destination.ExecuteAsync($"""
            ALTER ROLE "{destination.User}" SET DateStyle = 'SQL, DMY';
            ALTER ROLE "{destination.User}" SET IntervalStyle = 'sql_standard';
            ALTER ROLE "{destination.User}" SET TimeZone = 'Pacific/Chatham';
            ALTER ROLE "{destination.User}" SET extra_float_digits = -3;
            ALTER ROLE "{destination.User}" SET bytea_output = 'escape';
            """);
        await using var pooler = await PgBouncerProcess.StartAsync(destination.Host, destination.Port, [(destination.User, destination.Password)]);
        await using var connector = await InProcessConnector.StartStreamingAsync(source.Config());
        var topic = source.Topic("source_rows");
        foreach (var insert in TypeRoundTripRows.Inserts) await source.ExecuteAsync(insert);
        var config = SinkConfigs.For(destination, topic, ("tasks.max", "2"));
        config["connection.hostname"] = "127.0.0.1";
        config["connection.port"] = pooler.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await using var sink = InProcessSink.Start(config);

        await UntilEqualAsync(source, destination, topic, "the inserted rows of every type", connector, sink);
        Assert.That(await destination.ScalarAsync($"SELECT count(*) FROM pg_stat_activity WHERE usename = '{destination.User}'"), Is.InRange(1L, 2L),
            "the sink's two tasks reached the destination only through the pooler's two server sessions");

        await source.ExecuteAsync("""
            UPDATE source_rows SET c_text = 'changed', c_int_array = '{7,NULL,9}' WHERE id = 1;
            UPDATE source_rows SET c_varchar = NULL, c_numeric = 'NaN' WHERE id = 2;
            INSERT INTO source_rows (id, c_text) VALUES (300, 'small');
            UPDATE source_rows SET id = 301 WHERE id = 300;
            DELETE FROM source_rows WHERE id = 4;
            """);
        await UntilEqualAsync(source, destination, topic, "updates, a key change and a delete", connector, sink);

        await source.ExecuteAsync("ALTER TABLE source_rows ADD COLUMN c_added interval; UPDATE source_rows SET c_added = '-1 day 02:03:04.5' WHERE id = 1");
        await UntilEqualAsync(source, destination, topic, "a new interval column", connector, sink);

        await source.ExecuteAsync("TRUNCATE source_rows; INSERT INTO source_rows (id, c_text) VALUES (7, 'after the truncate')");
        await UntilEqualAsync(source, destination, topic, "the truncate and the row inserted after it", connector, sink);
    }

    static Task UntilEqualAsync(SourceTestDatabase source, SinkDestination destination, string table, string what,
        InProcessConnector connector, InProcessSink sink) =>
        PipelineCompare.UntilEqualAsync(source, "source_rows", destination, table, what, connector, sink, PipelineCompare.Timeout);
}
