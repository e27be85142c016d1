using KafkaCdc.SourceConnector.Status;

namespace KafkaCdc.Tests.SourceConnector.Snapshots;

/// <summary>
/// The initial snapshot on a real PostgreSQL: existing rows of tables with and without a key, of a partitioned table
/// and of hostile names become read events in the snapshot exported with the slot, read in parallel CTID chunks, and
/// streaming follows with no change missed or repeated.
/// </summary>
public class InitialSnapshotTests
{
    static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);

    const string Setup = """"
        CREATE TABLE keyed (id integer PRIMARY KEY, name text, amount numeric(10,2));
        INSERT INTO keyed SELECT i, 'row ' || i, i / 100.0 FROM generate_series(1, 20000) i;
        CREATE SCHEMA "Odd.Schema";
        CREATE TABLE "Odd.Schema"."We ird ""Table""" (v text, n integer);
        INSERT INTO "Odd.Schema"."We ird ""Table""" SELECT 'v' || i, i FROM generate_series(1, 700) i;
        CREATE TABLE events (id integer, region text, PRIMARY KEY (id, region)) PARTITION BY LIST (region);
        CREATE TABLE events_eu PARTITION OF events FOR VALUES IN ('eu');
        CREATE TABLE events_us PARTITION OF events FOR VALUES IN ('us');
        INSERT INTO events SELECT i, CASE WHEN i % 3 = 0 THEN 'eu' ELSE 'us' END FROM generate_series(1, 900) i;
        CREATE TABLE empty_one (id bigint PRIMARY KEY);
        ANALYZE;
        """";

    [Test]
    public async Task InitialSnapshot_ExistingRows_AreReadEventsInChunksThenStreamingFollows()
    {
        await using var database = await SourceTestDatabase.CreateAsync("snap_initial", Setup);
        var config = database.Config();
        config["snapshot.fetch.size"] = "1000";
        config["snapshot.max.threads"] = "2";
        config["publication.autocreate.mode"] = "filtered";
        await using var connector = await InProcessConnector.StartStreamingAsync(config);
        await database.ExecuteAsync("INSERT INTO keyed VALUES (20001, 'after the snapshot', 1); UPDATE keyed SET name = 'changed' WHERE id = 7");

        var keyed = await ChangeTopic.ReadUntilAsync(database.Topic("keyed"), r => r.Count(x => x.Op != "r") >= 2, s_timeout, "snapshot and two changes");
        var weird = await ChangeTopic.ReadAsync(database.Topic("We_ird__Table_"), 700, s_timeout);
        var events = await ChangeTopic.ReadAsync(database.Topic("events"), 900, s_timeout);

        var reads = keyed.Where(r => r.Op == "r").ToList();
        Assert.That(reads.Select(r => (int)r.After!["id"]!).Order(), Is.EqualTo(Enumerable.Range(1, 20000)), "every row once");
        Assert.That(reads.Single(r => (int)r.After!["id"]! == 1234).After!["name"], Is.EqualTo("row 1234"));
        Assert.That(weird.Select(r => (int)r.After!["n"]!).Order(), Is.EqualTo(Enumerable.Range(1, 700)));
        Assert.That(events.Select(r => ((int)r.After!["id"]!, (string)r.After["region"]!)).Order(),
            Is.EqualTo(Enumerable.Range(1, 900).Select(i => (i, i % 3 == 0 ? "eu" : "us")).Order()));
        var all = keyed.Concat(weird).Concat(events).Where(r => r.Op == "r").ToList();
        Assert.That(all.Select(r => (string)r.Source["snapshot"]!).Distinct().Order(), Is.EqualTo(new[] { "last", "true" }));
        Assert.That(all.Count(r => (string)r.Source["snapshot"]! == "last"), Is.EqualTo(1), "one record ends the snapshot");

        var row7 = keyed.Where(r => r.Key is not null && (int)r.Key["id"]! == 7).ToList();
        Assert.That(row7.Select(r => r.Op), Is.EqualTo(new[] { "r", "u" }), "the snapshot's row, then the change after it, in one partition");
        Assert.That(keyed.Single(r => r.Op == "c").After!["id"], Is.EqualTo(20001));
        Assert.That(connector.Status.Snapshots.State, Is.EqualTo("done"));
        Assert.That(connector.Status.Snapshots.Tables.Single(t => t.Table == "public.keyed").Rows, Is.EqualTo(20000));
        Assert.That(connector.Log, Does.Contain("Snapshot of 4 table(s)").And.Contain("2 reader(s)"));
    }

    [Test]
    public async Task ReaderConnectionBrokenMidChunk_ChunkReadAgain_NoRowWrittenTwice()
    {
        await using var database = await SourceTestDatabase.CreateAsync("snap_broken", """
            CREATE TABLE big (id integer PRIMARY KEY, v text);
            INSERT INTO big SELECT i, repeat('x', 300) || i FROM generate_series(1, 100000) i;
            ANALYZE;
            """);
        await TestEnvironment.CreateTopicAsync(database.Topic("big"), 16);
        var config = database.Config();
        config["snapshot.max.threads"] = "1";
        config["snapshot.fetch.size"] = "1000000"; // one chunk: the break comes in its middle
        await using var connector = InProcessConnector.Start(config);

        // The reader's backend is ended once some of the chunk's rows are written, long before all of them are.
        await Poll.UntilAsync(() => connector.Status.Snapshots.Tables.Any(t => t.Table == "public.big" && t.Rows >= 2000), s_timeout, "the first rows of the chunk");
        Assert.That(connector.Status.Snapshots.Tables.Single(t => t.Table == "public.big").Rows, Is.LessThan(90_000), "the chunk was still being read");
        var ended = await database.ScalarAsync<long>("""
            SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity
            WHERE datname = current_database() AND pid <> pg_backend_pid() AND query LIKE 'SELECT % FROM ONLY %big%') t
            """);
        Assert.That(ended, Is.EqualTo(1), "the one reader reading the chunk");
        await connector.WaitForStateAsync(ConnectorState.Streaming, s_timeout);

        var reads = await ChangeTopic.ReadToEndUntilAsync(database.Topic("big"),
            records => records.Count >= 100_000 ? null : $"{records.Count} records", s_timeout, "every row's read event");
        Assert.That(connector.Log, Does.Contain("reading it again in the same snapshot"));
        var twice = reads.GroupBy(r => (int)r.After!["id"]!).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.That(twice, Is.Empty, $"rows written twice ({twice.Count}; the first: {string.Join(", ", twice.Take(10))})");
        Assert.That(reads.Select(r => (int)r.After!["id"]!).Order(), Is.EqualTo(Enumerable.Range(1, 100_000)), "every row once");
    }
}
