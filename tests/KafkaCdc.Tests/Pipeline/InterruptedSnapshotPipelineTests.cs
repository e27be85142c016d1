using KafkaCdc.Tests.SinkConnector.Support;
using KafkaCdc.Tests.SourceConnector;

namespace KafkaCdc.Tests.Pipeline;

/// <summary>
/// Issue 16's last gap: the source killed while its initial snapshot is half written, under a workload, with the sinks
/// already applying what it wrote. The restart reads the unfinished tables again in a new snapshot, and streaming
/// replays the changes since the slot's consistent point: a table without a key, and one in an insert-mode sink, must
/// still end with every row once.
/// </summary>
[TestFixture]
public class InterruptedSnapshotPipelineTests
{
    // A table without a key has all its records in partition 0, where the mock cluster keeps about 5 MiB: two runs of
    // its rows and the workload's changes stay under it.
    const int BulkRows = 12_000;

    [Test]
    public async Task SourceKilledMidInitialSnapshotUnderLoad_Restarted_EveryTableEqual_KeylessAndInsertModeIncluded()
    {
        await using var source = await SourceTestDatabase.CreateAsync("snap_cut", ChaosPipeline.Tables + $"""
            INSERT INTO keyed SELECT i, 0, 'bulk' FROM generate_series(201, {BulkRows}) i;
            INSERT INTO keyless SELECT i % 50, 'bulk' FROM generate_series(1, {BulkRows}) i;
            INSERT INTO appended SELECT -i, 'bulk' FROM generate_series(1, {BulkRows}) i; -- the workload inserts positive ids
            ANALYZE;
            """);
        var destination = await SinkDestination.CreateAsync("snap_cut_dst");
        foreach (var table in new[] { "keyed", "keyless", "appended" }) await TestEnvironment.CreateTopicAsync(source.Topic(table), 4);
        var config = source.Config();
        config["snapshot.max.threads"] = "1";
        config["snapshot.fetch.size"] = "250"; // many chunks: a wider window for the kill
        var (upsert, insert) = ChaosPipeline.SinkConfigsFor(source, destination);
        var processes = new Dictionary<string, ConnectorProcess>();
        using var stopWorkload = new CancellationTokenSource();
        Task<(int Committed, int Interrupted)>? workload = null;
        try
        {
            // The sinks apply the first attempt's rows as they come: the second attempt must not add to them.
            processes["upsert sink"] = ConnectorProcess.StartSink(upsert);
            processes["insert sink"] = ConnectorProcess.StartSink(insert);
            workload = Task.Run(() => ChaosPipeline.RunWorkloadAsync(source.ConnectionString, stopWorkload.Token));
            processes["source"] = ConnectorProcess.StartSource(config);

            // Killed once the keyless table's snapshot has begun, before it ends.
            var keylessAtKill = await ChaosPipeline.KillMidKeylessSnapshotAsync(processes["source"], source);
            await processes["source"].DisposeAsync();
            processes["source"] = ConnectorProcess.StartSource(config);
            await processes["source"].WaitForOutputAsync("Streaming changes", ChaosPipeline.Timeout);
            ChaosPipeline.AssumeSnapshotResumed(processes["source"], keylessAtKill);
            await ChaosPipeline.UntilEqualAsync(source, "keyed", destination, source.Topic("keyed"), processes, whileWriting: true);

            await stopWorkload.CancelAsync();
            var (transactions, _) = await workload;
            var checkedRows = await ChaosPipeline.EveryTableEqualAsync(source, destination, processes);
            ChaosPipeline.AssertStillRunning(processes, "the resumed snapshot");
            TestContext.Out.WriteLine($"{transactions} transactions; the source killed with {keylessAtKill} keyless rows in Kafka; {checkedRows} rows checked");
        }
        finally
        {
            await stopWorkload.CancelAsync();
            if (workload is not null) await Task.WhenAny(workload);
            foreach (var process in processes.Values) await process.DisposeAsync();
        }
    }
}
