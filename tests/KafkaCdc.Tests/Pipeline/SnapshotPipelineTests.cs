using KafkaCdc.Tests.SinkConnector.Support;
using KafkaCdc.Tests.SourceConnector;
using KafkaCdc.Tests.SourceConnector.Snapshots;

namespace KafkaCdc.Tests.Pipeline;

/// <summary>
/// Snapshots through the whole pipeline: an existing database (tables with and without a key, partitioned, with
/// identifiers that need quoting) snapshotted while a workload writes, then backfilled again by an incremental
/// snapshot on a signal; the sink's destination equals the source, compared as <c>row::text</c>, after each.
/// </summary>
public class SnapshotPipelineTests
{
    static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(120);

    // Source table -> the topic's last part (the destination table is named after the topic).
    static readonly (string Table, string Topic)[] s_tables =
    [
        ("keyed", "keyed"), ("\"Odd Schema\".\"Mixed Case\"", "Mixed_Case"), ("log_lines", "log_lines"), ("events", "events"),
    ];

    [Test]
    public async Task InitialSnapshotUnderAWorkload_ThenAnIncrementalSnapshot_DestinationEqualsSource()
    {
        await using var source = await SourceTestDatabase.CreateAsync("snap_pipe", """
            CREATE SCHEMA kafkacdc;
            CREATE TABLE kafkacdc.kafkacdc_signal (id varchar(255) PRIMARY KEY, type varchar(32) NOT NULL, data varchar(2000));
            CREATE TABLE keyed (id integer PRIMARY KEY, v text, n integer NOT NULL);
            INSERT INTO keyed SELECT i, 'k' || i, 0 FROM generate_series(1, 30000) i;
            CREATE SCHEMA "Odd Schema";
            CREATE TABLE "Odd Schema"."Mixed Case" (id integer PRIMARY KEY, "Value" text);
            INSERT INTO "Odd Schema"."Mixed Case" SELECT i, 'm' || i FROM generate_series(1, 700) i;
            CREATE TABLE log_lines (line text, n integer);
            ALTER TABLE log_lines REPLICA IDENTITY FULL;
            INSERT INTO log_lines SELECT 'line ' || i, i FROM generate_series(1, 1500) i;
            CREATE TABLE events (id integer, region text, v text, PRIMARY KEY (id, region)) PARTITION BY LIST (region);
            CREATE TABLE events_eu PARTITION OF events FOR VALUES IN ('eu');
            CREATE TABLE events_us PARTITION OF events FOR VALUES IN ('us');
            INSERT INTO events SELECT i, CASE WHEN i % 3 = 0 THEN 'eu' ELSE 'us' END, 'e' || i FROM generate_series(1, 900) i;
            ANALYZE;
            """);
        await source.ExecuteAsync($"CREATE PUBLICATION \"{source.PublicationName}\" FOR ALL TABLES WITH (publish_via_partition_root = true)");
        await TestEnvironment.CreateTopicAsync(source.Topic("keyed"), 16);
        var destination = await SinkDestination.CreateAsync("snap_pipe_dst");
        var config = source.Config();
        config["publication.autocreate.mode"] = "disabled";
        config["snapshot.fetch.size"] = "3000";
        config["incremental.snapshot.chunk.size"] = "2500";

        using var workload = new TableWorkload(source.ConnectionString, ["keyed"], 30000);
        await using var connector = await InProcessConnector.StartStreamingAsync(config);
        await using var sink = InProcessSink.Start(SinkConfigs.For(destination, "", ("topics", null!), ("topics.regex", $"{source.Name}_.*"), ("tasks.max", "2")));
        await source.ExecuteAsync("INSERT INTO log_lines VALUES ('after the snapshot', 0); UPDATE events SET v = 'changed' WHERE id = 3");
        await workload.StopAsync();
        await UntilEqualAsync(source, destination, "the initial snapshot and the changes during and after it", connector, sink);

        using var second = new TableWorkload(source.ConnectionString, ["keyed"], 30000, firstNewId: 2_000_000);
        await source.ExecuteAsync("""INSERT INTO kafkacdc.kafkacdc_signal VALUES ('pipe-1', 'execute-snapshot', '{"data-collections": ["public.keyed", "public.events"]}')""");
        await Poll.UntilAsync(() => connector.Log.Contains("Incremental snapshot pipe-1 complete"), s_timeout, "the incremental snapshot");
        await second.StopAsync();
        await UntilEqualAsync(source, destination, "the incremental snapshot under a workload", connector, sink);
    }

    static async Task UntilEqualAsync(SourceTestDatabase source, SinkDestination destination, string what, InProcessConnector connector, InProcessSink sink)
    {
        var different = "";
        try
        {
            await Poll.UntilAsync(async () =>
            {
                foreach (var (table, topic) in s_tables)
                {
                    var (expected, actual) = await PipelineCompare.RowTextsAsync(source, table, destination, source.Topic(topic));
                    if (!expected.SequenceEqual(actual))
                    {
                        different = $"{table}: {expected.Count} rows at the source, {actual.Count} at the destination; only at the source: " +
                                    $"{string.Join(", ", expected.Except(actual).Take(5))}; only at the destination: {string.Join(", ", actual.Except(expected).Take(5))}";
                        return false;
                    }
                }
                return true;
            }, s_timeout, $"the destination to equal the source after {what}");
        }
        catch (AssertionException e)
        {
            Assert.Fail($"{e.Message}\n{different}\nsource log:\n{SnapshotAssert.SnapshotLines(connector.Log)}\nsink log:\n" +
                        string.Join("\n", sink.Logging.Text.Split(Environment.NewLine).TakeLast(20)));
        }
    }
}
