using KafkaCdc.SinkConnector.Committing;
using KafkaCdc.Tests.SinkConnector.Support;
using KafkaCdc.Tests.SourceConnector;
using Npgsql;

namespace KafkaCdc.Tests.Pipeline;

/// <summary>
/// Issue 16's scenario with separate processes: a workload of small mixed transactions runs while the source and the
/// sinks are killed with SIGKILL and restarted, five times each. The source sends again what it had not confirmed
/// (at least once); the sinks must apply every change once, so that a keyed table (upsert, two tasks), a keyless table
/// under REPLICA IDENTITY FULL and a table written by an insert-mode sink all end equal to the source. And the same
/// pipeline through ten seconds with every broker down (issue 14's chaos list).
/// </summary>
public class CrashReplayPipelineTests
{
    const int Kills = 5;

    /// <summary>A keyed table, a keyless one under REPLICA IDENTITY FULL, and an append-only one for an insert-mode sink.</summary>
    const string Tables = """
        CREATE TABLE keyed (id integer PRIMARY KEY, n integer NOT NULL, v text);
        CREATE TABLE keyless (n integer, v text);
        ALTER TABLE keyless REPLICA IDENTITY FULL;
        CREATE TABLE appended (id bigint PRIMARY KEY, v text);
        INSERT INTO keyed SELECT i, 0, 'seed' FROM generate_series(1, 200) i;
        INSERT INTO keyless SELECT i % 20, 'seed' FROM generate_series(1, 100) i;
        """;
    static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(150);

    [Test]
    public async Task SourceAndSinksKilledUnderLoad_EveryTableEqual_KeylessAndInsertModeIncluded()
    {
        await using var source = await SourceTestDatabase.CreateAsync("crash_replay", Tables);
        var destination = await SinkDestination.CreateAsync("crash_replay_dst");
        // Offsets are confirmed once a second: every kill of the source leaves a second of sent, unconfirmed changes to send again.
        var sourceConfig = new Dictionary<string, string>(source.Config()) { ["offset.flush.interval.ms"] = "1000" };
        string keyed = source.Topic("keyed"), keyless = source.Topic("keyless"), appended = source.Topic("appended");
        var upsertConfig = SinkConfigs.For(destination, $"{keyed},{keyless}", ("tasks.max", "2"), ("batch.size", "50"));
        var insertConfig = SinkConfigs.For(destination, appended, ("insert.mode", "insert"), ("batch.size", "50"));

        var processes = new Dictionary<string, ConnectorProcess>
        {
            ["source"] = ConnectorProcess.StartSource(sourceConfig),
        };
        try
        {
            await processes["source"].WaitForOutputAsync("Streaming changes", s_timeout);
            processes["upsert sink"] = ConnectorProcess.StartSink(upsertConfig);
            processes["insert sink"] = ConnectorProcess.StartSink(insertConfig);

            using var stopWorkload = new CancellationTokenSource();
            var workload = Task.Run(() => WorkloadAsync(source.ConnectionString, stopWorkload.Token));
            var random = new Random(16);
            var kills = new List<string>();
            for (var round = 0; round < 2 * Kills; round++)
            {
                // Alternate the source and a sink, at moments spread over the stream; the source streaming again first, so
                // that each of its kills leaves sent but unconfirmed changes behind.
                var victim = round % 2 == 0 ? "source" : round % 4 == 1 ? "upsert sink" : "insert sink";
                if (victim == "source") await processes[victim].WaitForOutputAsync("Streaming changes", s_timeout);
                await Task.Delay(TimeSpan.FromMilliseconds(1200 + random.Next(1300)));
                Assert.That(workload.IsCompleted, Is.False, () => $"the workload ended early: {workload.Exception}");
                await processes[victim].KillAsync();
                await processes[victim].DisposeAsync();
                processes[victim] = victim == "source" ? ConnectorProcess.StartSource(sourceConfig)
                    : ConnectorProcess.StartSink(victim == "upsert sink" ? upsertConfig : insertConfig);
                kills.Add(victim);
            }
            await stopWorkload.CancelAsync();
            var transactions = await workload;

            var checkedRows = 0;
            foreach (var (table, topic) in new[] { ("keyed", keyed), ("keyless", keyless), ("appended", appended) })
                checkedRows += await UntilEqualAsync(source, table, destination, topic, processes);

            var replayed = await ReplayedRecordsAsync([keyed, keyless, appended]);
            TestContext.Out.WriteLine($"{transactions} transactions, kills: {string.Join(", ", kills)}; {checkedRows} rows checked; " +
                                      $"{replayed} records in the topics were the source's replays (skipped by the sinks)");
            Assert.That(replayed, Is.GreaterThan(0), "the source's restarts sent records again: the scenario exercised the replay rule");
        }
        finally
        {
            foreach (var process in processes.Values) await process.DisposeAsync();
        }
    }

    [TearDown]
    public async Task RestoreBrokers()
    {
        if (TestEnvironment.DevStackAdmin is { } admin) await admin.ResetAsync();
    }

    [Test]
    public async Task EveryBrokerDownFor10Seconds_UnderLoad_BothConnectorsResume_EveryTableEqual()
    {
        var admin = TestEnvironment.RequireDevStackAdmin();
        await using var source = await SourceTestDatabase.CreateAsync("broker_outage", Tables);
        var destination = await SinkDestination.CreateAsync("broker_outage_dst");
        string keyed = source.Topic("keyed"), keyless = source.Topic("keyless"), appended = source.Topic("appended");
        var processes = new Dictionary<string, ConnectorProcess> { ["source"] = ConnectorProcess.StartSource(source.Config()) };
        try
        {
            await processes["source"].WaitForOutputAsync("Streaming changes", s_timeout);
            processes["upsert sink"] = ConnectorProcess.StartSink(SinkConfigs.For(destination, $"{keyed},{keyless}", ("tasks.max", "2"), ("batch.size", "50")));
            processes["insert sink"] = ConnectorProcess.StartSink(SinkConfigs.For(destination, appended, ("insert.mode", "insert"), ("batch.size", "50")));
            using var stopWorkload = new CancellationTokenSource();
            var workload = Task.Run(() => WorkloadAsync(source.ConnectionString, stopWorkload.Token));
            await UntilEqualAsync(source, "keyed", destination, keyed, processes, whileWriting: true);

            var brokers = await admin.GetBrokersAsync();
            foreach (var broker in brokers) await admin.SetBrokerDownAsync(broker.Id);
            var outage = System.Diagnostics.Stopwatch.StartNew();
            await Task.Delay(TimeSpan.FromSeconds(10)); // the outage itself, while the workload writes on
            foreach (var broker in brokers) await admin.SetBrokerUpAsync(broker.Id);
            outage.Stop();
            await stopWorkload.CancelAsync();
            var transactions = await workload;

            var checkedRows = 0;
            foreach (var (table, topic) in new[] { ("keyed", keyed), ("keyless", keyless), ("appended", appended) })
                checkedRows += await UntilEqualAsync(source, table, destination, topic, processes);
            TestContext.Out.WriteLine($"{transactions} transactions, {brokers.Count} brokers down for {outage.Elapsed.TotalSeconds:0.#} s; {checkedRows} rows checked");
            foreach (var (name, process) in processes) Assert.That(process.HasExited, Is.False, $"{name} gave up during the outage:{Environment.NewLine}{process.Output}");
        }
        finally
        {
            foreach (var process in processes.Values) await process.DisposeAsync();
        }
    }

    /// <summary>Small transactions of inserts, updates and deletes on the three tables until stopped; returns how many committed.</summary>
    static async Task<int> WorkloadAsync(string connectionString, CancellationToken stop)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(CancellationToken.None);
        var random = new Random(1616);
        var nextId = 1000;
        var transactions = 0;
        while (!stop.IsCancellationRequested)
        {
            var id = random.Next(1, nextId);
            var sql = (transactions % 4) switch
            {
                0 => $"INSERT INTO keyed VALUES ({nextId}, 0, 'new') ON CONFLICT DO NOTHING; INSERT INTO keyless VALUES ({random.Next(20)}, 'dup'); INSERT INTO appended VALUES ({nextId}, 'a')",
                1 => $"UPDATE keyed SET n = n + 1, v = md5(random()::text) WHERE id = {id % 200 + 1}; " +
                     "UPDATE keyless SET v = md5(random()::text) WHERE ctid = (SELECT ctid FROM keyless ORDER BY n, v LIMIT 1)",
                2 => $"DELETE FROM keyed WHERE id = {id}; DELETE FROM keyless WHERE ctid = (SELECT ctid FROM keyless WHERE n = {random.Next(20)} LIMIT 1); " +
                     $"DELETE FROM appended WHERE id = {id}",
                _ => $"INSERT INTO keyless VALUES ({random.Next(20)}, 'dup'), ({random.Next(20)}, 'dup'); UPDATE keyed SET n = n - 1 WHERE id = {id % 200 + 1}; " +
                     $"INSERT INTO appended VALUES ({nextId + 500_000}, 'b')",
            };
            nextId++;
            await using (var command = new NpgsqlCommand(sql, connection)) await command.ExecuteNonQueryAsync(CancellationToken.None);
            transactions++;
            await Task.Delay(2, CancellationToken.None);
        }
        return transactions;
    }

    /// <summary>Waits until the destination table equals the source's; returns the rows compared.</summary>
    /// <param name="source">The source database.</param>
    /// <param name="table">The source table.</param>
    /// <param name="destination">The destination database.</param>
    /// <param name="destinationTable">The destination table.</param>
    /// <param name="processes">The connectors, whose output a failure shows.</param>
    /// <param name="whileWriting">Only wait for the destination to hold most of the source's rows (the workload still runs).</param>
    static async Task<int> UntilEqualAsync(SourceTestDatabase source, string table, SinkDestination destination, string destinationTable,
        Dictionary<string, ConnectorProcess> processes, bool whileWriting = false)
    {
        List<string> expected = [], actual = [];
        await Poll.UntilAsync(async () =>
        {
            (expected, actual) = await PipelineCompare.RowTextsAsync(source, table, destination, destinationTable);
            return whileWriting ? actual.Count >= expected.Count / 2 : expected.SequenceEqual(actual);
        }, s_timeout, () => string.Join(Environment.NewLine,
            $"destination table {destinationTable} to equal source table {table}: {expected.Count} rows at the source, {actual.Count} at the destination",
            "only in the source: " + string.Join(" ", expected.Except(actual).Take(10)),
            "only in the destination: " + string.Join(" ", actual.Except(expected).Take(10)),
            string.Join(Environment.NewLine, processes.Select(p => $"{p.Key} output (tail):{Environment.NewLine}  " +
                string.Join(Environment.NewLine + "  ", p.Value.Output.Split('\n').TakeLast(12)))),
            $"destination has {actual.Count - actual.Distinct().Count()} duplicate rows"));
        return expected.Count;
    }

    /// <summary>How many records of the topics a sink skips as the source's replays (by the sink's own rule, per partition).</summary>
    static async Task<int> ReplayedRecordsAsync(string[] topics)
    {
        var replayed = 0;
        foreach (var topic in topics)
        {
            var records = await ChangeTopic.ReadToEndUntilAsync(topic, _ => null, s_timeout, "every record");
            var fences = new Dictionary<int, PartitionFence>();
            foreach (var record in records)
            {
                if (!fences.TryGetValue(record.Partition, out var fence)) fences[record.Partition] = fence = new PartitionFence(null);
                if (fence.Admit(record.Offset, record.Position) == PartitionFence.Replayed) replayed++;
            }
        }
        return replayed;
    }
}
