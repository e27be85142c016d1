using KafkaCdc.Shared.ChangeEvents;
using KafkaCdc.SourceConnector.Checkpointing;
using KafkaCdc.SourceConnector.Snapshots;
using KafkaCdc.Tests.Pipeline;
using NpgsqlTypes;

namespace KafkaCdc.Tests.SourceConnector.Snapshots;

/// <summary>
/// The runs (attempts) of an initial snapshot in the header <c>kafkacdc.snapshot</c> (issue 16): every row says which
/// run read it, a run resumed after an interruption marks the stream's changes its fresh snapshot already holds, and
/// the stored progress keeps the run and the filters across restarts, readable from offsets of earlier versions.
/// </summary>
public class SnapshotRunMarkTests
{
    // Every record of a table without a key goes to partition 0, where the mock cluster keeps about 5 MiB (some 25,000
    // of these records; it drops the oldest beyond): the two runs' rows and the workload's changes must stay under it,
    // or the comparison would see rows lost. So the workload is bounded (WorkloadTransactions: under 4,000 keyless
    // changes), and the source's producer is throttled (Throttled), which also makes the kill land early in the
    // keyless table's first run: unthrottled, the run could write most of its rows before the kill (partition 0 then
    // overflowed, about one run in five) or all of them (inconclusive).
    const int BulkRows = 12_000;
    const int WorkloadTransactions = 3_000;

    /// <summary>At most 500 records in flight, sent every 100 ms: a few thousand records a second.</summary>
    static void Throttled(Dictionary<string, string> config)
    {
        config["kafka.queue.buffering.max.messages"] = "500";
        config["kafka.linger.ms"] = "100";
    }

    [Test]
    public void Offset_FromAnEarlierVersion_ReadsAsAFirstRunWithOneDroppingFilter()
    {
        var current = new SourceOffset("0/16B6C50", "slot", "pub", "db", DateTimeOffset.UnixEpoch,
            new SnapshotOffset(new InitialSnapshotOffset(["public.a"], "first start"), null, new StreamFilterOffset("100:105:102", "0/16B6D00", ["public.a"])), null);
        // Offsets written before runs were counted have neither "attempt" nor "filters".
        var earlier = System.Text.Encoding.UTF8.GetString(current.ToJson()).Replace("\"attempt\":1,", "").Replace(",\"attempt\":1", "")
            .Replace(",\"mark\":false", "").Replace(",\"snapshot_lsn\":null", "").Replace(",\"filters\":null", "");
        Assert.That(earlier, Does.Not.Contain("attempt").And.Not.Contain("filters"), earlier);

        var read = SourceOffset.Parse(System.Text.Encoding.UTF8.GetBytes(earlier)).Snapshot!;

        Assert.That(read.Initial!.Attempt, Is.EqualTo(1));
        Assert.That(read.StreamFilters, Has.Count.EqualTo(1));
        Assert.That(read.StreamFilters[0], Is.EqualTo(new StreamFilterOffset("100:105:102", "0/16B6D00", ["public.a"])).Using<StreamFilterOffset>(Same));
        Assert.That(SnapshotStreamFilter.From(read)![0].Mark, Is.Null, "a first-start snapshot's held changes are dropped");
    }

    [Test]
    public void Offset_WithRunsAndFilters_RoundTrips()
    {
        var filters = new[]
        {
            new StreamFilterOffset("100:105:102", "0/16B6D00", ["public.a"]),
            new StreamFilterOffset("200:210:", "0/2000000", ["public.b", "public.k"]) { Attempt = 3, Mark = true, SnapshotLsn = "0/16B6C50" },
        };
        var offset = new SourceOffset("0/16B6C50", "slot", "pub", "db", DateTimeOffset.UnixEpoch,
            new SnapshotOffset(new InitialSnapshotOffset(["public.a", "public.b", "public.k"], "resuming") { Attempt = 3 }, null).WithFilters(filters), null);

        var read = SourceOffset.Parse(offset.ToJson()).Snapshot!;

        Assert.That(read.Initial!.Attempt, Is.EqualTo(3));
        Assert.That(read.Filter, Is.Null, "the single legacy filter is not written any more");
        Assert.That(read.StreamFilters, Has.Count.EqualTo(2));
        for (var i = 0; i < 2; i++) Assert.That(read.StreamFilters[i], Is.EqualTo(filters[i]).Using<StreamFilterOffset>(Same));
    }

    [Test]
    public void Filter_OfAResumedRun_MarksWhatItsSnapshotSees_UpToItsBound()
    {
        var filter = SnapshotStreamFilter.From(new StreamFilterOffset("200:210:203,207", "0/2000000", ["public.k"]) { Attempt = 2, Mark = true, SnapshotLsn = "0/16B6C50" });

        Assert.That(filter.Mark, Is.EqualTo(new SnapshotMark(0, (ulong)NpgsqlLogSequenceNumber.Parse("0/16B6C50"), 2, SnapshotMarkKind.HeldChange)));
        var bound = NpgsqlLogSequenceNumber.Parse("0/2000000");
        Assert.Multiple(() =>
        {
            Assert.That(filter.Holds(150, bound), Is.True, "committed before the snapshot");
            Assert.That(filter.Holds(205, bound), Is.True, "committed before the snapshot, after its xmin");
            Assert.That(filter.Holds(203, bound), Is.False, "in progress when the snapshot was taken");
            Assert.That(filter.Holds(210, bound), Is.False, "started after the snapshot");
            Assert.That(filter.Holds(150, NpgsqlLogSequenceNumber.Parse("0/2000001")), Is.False, "committing beyond the bound");
        });
    }

    [Test]
    public void StoredFilter_WithAMarkButNoSnapshotLsn_StopsNamingIt()
    {
        var e = Assert.Throws<KafkaCdc.SourceConnector.SourceConnectorException>(() =>
            SnapshotStreamFilter.From(new StreamFilterOffset("200:210:", "0/2000000", ["public.k"]) { Attempt = 2, Mark = true }));
        Assert.That(e!.Message, Does.Contain("snapshot filter").And.Contain("attempt 2").And.Contain("snapshot_lsn"));
    }

    [Test]
    public async Task Kill9MidInitialSnapshotUnderLoad_TheRunsAreMarked_AndAConsumerKeepingTheLatestRunHoldsTheKeylessTableOnce()
    {
        await using var database = await SourceTestDatabase.CreateAsync("snap_runs", ChaosPipeline.Tables + $"""
            INSERT INTO keyless SELECT i % 50, 'bulk' FROM generate_series(1, {BulkRows}) i;
            INSERT INTO keyed SELECT i, 0, 'bulk' FROM generate_series(201, {BulkRows}) i;
            ANALYZE;
            """);
        foreach (var table in new[] { "keyed", "keyless", "appended" }) await TestEnvironment.CreateTopicAsync(database.Topic(table), 4);
        var config = database.Config();
        config["snapshot.max.threads"] = "1";
        config["snapshot.fetch.size"] = "250"; // many chunks: a wider window for the kill
        Throttled(config);
        using var stopWorkload = new CancellationTokenSource();
        var workload = Task.Run(() => ChaosPipeline.RunWorkloadAsync(database.ConnectionString, stopWorkload.Token, WorkloadTransactions));
        try
        {
            long keylessAtKill;
            await using (var first = ConnectorProcess.StartSource(config)) keylessAtKill = await ChaosPipeline.KillMidKeylessSnapshotAsync(first, database);
            await using var second = ConnectorProcess.StartSource(config);
            await second.WaitForOutputAsync("Streaming changes", ChaosPipeline.Timeout);
            ChaosPipeline.AssumeSnapshotResumed(second, keylessAtKill);
            Assert.That(second.Output, Does.Contain("run 2"), second.Output);
            await stopWorkload.CancelAsync();
            await workload;
            await database.ExecuteAsync("INSERT INTO keyless VALUES (-1, 'last')");

            var expected = (await database.ScalarAsync<string[]>("SELECT array_agg(n || '|' || v) FROM keyless")).Order(StringComparer.Ordinal).ToList();
            IReadOnlyList<ChangeRecord> records = [];
            await ChangeTopic.ReadToEndUntilAsync(database.Topic("keyless"), read =>
            {
                records = read;
                var rows = KeepingTheLatestRun(read);
                if (!rows.Contains("-1|last")) return $"no last row yet ({rows.Count} rows)";
                rows.Sort(StringComparer.Ordinal);
                return rows.SequenceEqual(expected) ? null
                    : $"{rows.Count} rows from the topic, {expected.Count} in the table; only from the topic: {string.Join(", ", rows.Except(expected).Take(10))}; " +
                      $"only in the table: {string.Join(", ", expected.Except(rows).Take(10))}";
            }, ChaosPipeline.Timeout, "a consumer keeping the latest snapshot run to hold the keyless table");

            var reads = records.Where(r => r.Op == "r").ToList();
            Assert.Multiple(() =>
            {
                Assert.That(reads.All(r => r.Mark is { Kind: SnapshotMarkKind.Read }), Is.True, "every row read carries its run");
                Assert.That(reads.Count(r => r.Mark!.Value.Attempt == 1), Is.GreaterThan(0), "the interrupted run wrote rows");
                Assert.That(reads.Count(r => r.Mark!.Value.Attempt == 2), Is.EqualTo(BulkRows).Within(BulkRows / 2), "the resumed run read the table again");
                Assert.That(records.Count(r => r.Mark is { Kind: SnapshotMarkKind.HeldChange, Attempt: 2 }), Is.GreaterThan(0),
                    "the workload's changes between the slot's position and the second run's snapshot are marked as held by it");
                Assert.That(records.Where(r => r.Op != "r").All(r => r.Mark is null or { Kind: SnapshotMarkKind.HeldChange, Attempt: 2 }), Is.True);
            });
            // A consumer that knows nothing of runs still ends with every keyed row right (the held changes are not dropped).
            await SnapshotAssert.TopicEqualsTableAsync(database, "keyed");
            Assert.That(await second.TerminateAsync(ChaosPipeline.Timeout), Is.Zero, second.Output);
        }
        finally
        {
            await stopWorkload.CancelAsync();
            await Task.WhenAny(workload);
        }
    }

    /// <summary>
    /// The rows (<c>n|v</c>) a consumer holds that applies the records in order, keeping only the latest run of the
    /// snapshot: a newer run's first row replaces everything, an older run's rows and the changes the current run holds
    /// are skipped (the sink's rule, written out again here from schemas/README.md).
    /// </summary>
    static List<string> KeepingTheLatestRun(IReadOnlyList<ChangeRecord> records)
    {
        var rows = new List<string>();
        uint run = 0;
        static string Row(Avro.Generic.GenericRecord image) => $"{image["n"]}|{image["v"]}";
        foreach (var record in records.Where(r => r.Value is not null))
        {
            if (record.Mark is { } mark)
            {
                if (mark.Attempt > run)
                {
                    rows.Clear();
                    run = mark.Attempt;
                }
                if (mark.Attempt < run || mark.Kind == SnapshotMarkKind.HeldChange) continue;
            }
            if (record.Op == "t") rows.Clear();
            if (record.Before is { } before) rows.Remove(Row(before));
            if (record.After is { } after) rows.Add(Row(after));
        }
        return rows;
    }

    static bool Same(StreamFilterOffset a, StreamFilterOffset b) =>
        a.Snapshot == b.Snapshot && a.Until == b.Until && a.Tables.SequenceEqual(b.Tables) && a.Attempt == b.Attempt && a.Mark == b.Mark && a.SnapshotLsn == b.SnapshotLsn;
}
