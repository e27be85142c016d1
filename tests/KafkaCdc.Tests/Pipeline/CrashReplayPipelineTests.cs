using KafkaCdc.Tests.SinkConnector.Support;
using KafkaCdc.Tests.SourceConnector;

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

    [Test]
    public async Task SourceAndSinksKilledUnderLoad_EveryTableEqual_KeylessAndInsertModeIncluded()
    {
        await using var source = await SourceTestDatabase.CreateAsync("crash_replay", ChaosPipeline.Tables);
        var destination = await SinkDestination.CreateAsync("crash_replay_dst");
        // Offsets are confirmed once a second: every kill of the source leaves a second of sent, unconfirmed changes to send again.
        var sourceConfig = new Dictionary<string, string>(source.Config()) { ["offset.flush.interval.ms"] = "1000" };
        var (upsertConfig, insertConfig) = ChaosPipeline.SinkConfigsFor(source, destination);
        var processes = new Dictionary<string, ConnectorProcess>();
        try
        {
            await ChaosPipeline.StartConnectorsAsync(processes, source, destination, sourceConfig, (upsertConfig, insertConfig));
            using var stopWorkload = new CancellationTokenSource();
            var workload = Task.Run(() => ChaosPipeline.RunWorkloadAsync(source.ConnectionString, stopWorkload.Token));
            var random = new Random(16);
            var kills = new List<string>();
            for (var round = 0; round < 2 * Kills; round++)
            {
                // Alternate the source and a sink, at moments spread over the stream; the source streaming again first, so
                // that each of its kills leaves sent but unconfirmed changes behind.
                var victim = round % 2 == 0 ? "source" : round % 4 == 1 ? "upsert sink" : "insert sink";
                if (victim == "source") await processes[victim].WaitForOutputAsync("Streaming changes", ChaosPipeline.Timeout);
                await Task.Delay(TimeSpan.FromMilliseconds(1200 + random.Next(1300)));
                Assert.That(workload.IsCompleted, Is.False, () => $"the workload ended early: {workload.Exception}");
                await processes[victim].KillAsync();
                await processes[victim].DisposeAsync();
                processes[victim] = victim == "source" ? ConnectorProcess.StartSource(sourceConfig)
                    : ConnectorProcess.StartSink(victim == "upsert sink" ? upsertConfig : insertConfig);
                kills.Add(victim);
            }
            await stopWorkload.CancelAsync();
            var (transactions, _) = await workload;

            var checkedRows = await ChaosPipeline.EveryTableEqualAsync(source, destination, processes);
            var replayed = await ChaosPipeline.ReplayedRecordsAsync(source);
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
        await using var source = await SourceTestDatabase.CreateAsync("broker_outage", ChaosPipeline.Tables);
        var destination = await SinkDestination.CreateAsync("broker_outage_dst");
        var processes = new Dictionary<string, ConnectorProcess>();
        try
        {
            await ChaosPipeline.StartConnectorsAsync(processes, source, destination);
            using var stopWorkload = new CancellationTokenSource();
            var workload = Task.Run(() => ChaosPipeline.RunWorkloadAsync(source.ConnectionString, stopWorkload.Token));
            await ChaosPipeline.UntilEqualAsync(source, "keyed", destination, source.Topic("keyed"), processes, whileWriting: true);

            var brokers = await admin.GetBrokersAsync();
            foreach (var broker in brokers) await admin.SetBrokerDownAsync(broker.Id);
            var outage = System.Diagnostics.Stopwatch.StartNew();
            await Task.Delay(TimeSpan.FromSeconds(10)); // the outage itself, while the workload writes on
            foreach (var broker in brokers) await admin.SetBrokerUpAsync(broker.Id);
            outage.Stop();
            await stopWorkload.CancelAsync();
            var (transactions, _) = await workload;

            var checkedRows = await ChaosPipeline.EveryTableEqualAsync(source, destination, processes);
            TestContext.Out.WriteLine($"{transactions} transactions, {brokers.Count} brokers down for {outage.Elapsed.TotalSeconds:0.#} s; {checkedRows} rows checked");
            ChaosPipeline.AssertStillRunning(processes, "the outage");
        }
        finally
        {
            foreach (var process in processes.Values) await process.DisposeAsync();
        }
    }
}
