using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using KafkaCdc.DevStack;
using KafkaCdc.Tests.SinkConnector.Support;
using KafkaCdc.Tests.SourceConnector;

namespace KafkaCdc.Tests.Pipeline;

/// <summary>
/// Issue 14's chaos list: two sink processes with the same configuration and group (horizontal scaling), one of them
/// killed with SIGKILL and restarted five times under load. Each time the other member must take over every partition
/// (a rebalance after the session timeout), and the restarted one must rejoin and get partitions back; what the killed
/// member applied but had not committed to Kafka is delivered again and skipped by the offsets table's fence. Every
/// table ends equal.
/// </summary>
public class SinkGroupMemberKillPipelineTests
{
    const int Kills = 5;
    const string Survivor = "upsert sink";

    [Test]
    public async Task OneOfTwoGroupMembersKilledFiveTimesUnderLoad_TheOtherTakesOverAndItRejoins_EveryTableEqual()
    {
        await using var source = await SourceTestDatabase.CreateAsync("group_kill", ChaosPipeline.Tables);
        var destination = await SinkDestination.CreateAsync("group_kill_dst");
        var (survivorConfig, insertConfig) = ChaosPipeline.SinkConfigsFor(source, destination);
        survivorConfig["tasks.max"] = "1";
        survivorConfig["rest.port"] = FreePort();
        var victimConfig = new Dictionary<string, string>(survivorConfig) { ["rest.port"] = FreePort() }; // the same name and group
        var processes = new Dictionary<string, ConnectorProcess>();
        try
        {
            // The upsert sink is the member that survives; the victim, of the same name and group, joins it once the pipeline flows.
            using var stopWorkload = new CancellationTokenSource();
            var workload = await ChaosPipeline.StartUnderLoadAsync(processes, source, destination, stopWorkload.Token, sinkConfigs: (survivorConfig, insertConfig));
            processes["victim"] = ConnectorProcess.StartSink(victimConfig);
            var partitions = SinkDestination.EndOffsets(source.Topic("keyed")).Count + SinkDestination.EndOffsets(source.Topic("keyless")).Count;
            await SharedAsync(processes, partitions);

            var random = new Random(14);
            var takeovers = new List<double>();
            var rejoins = new List<double>();
            for (var kill = 0; kill < Kills; kill++)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(300 + random.Next(700))); // a moment somewhere in the stream
                Assert.That(workload.IsCompleted, Is.False, () => $"the workload ended early: {workload.Exception}");
                await processes["victim"].KillAsync();
                var clock = Stopwatch.StartNew();
                await Poll.UntilAsync(async () => (await processes[Survivor].AssignedPartitionsAsync()).Count == partitions, ChaosPipeline.Timeout,
                    () => $"the surviving member to take over all {partitions} partitions after kill {kill + 1}:{Environment.NewLine}{processes[Survivor].Output}");
                takeovers.Add(clock.Elapsed.TotalSeconds);
                await processes["victim"].DisposeAsync();
                processes["victim"] = ConnectorProcess.StartSink(victimConfig);
                clock.Restart();
                await SharedAsync(processes, partitions);
                rejoins.Add(clock.Elapsed.TotalSeconds);
            }
            await stopWorkload.CancelAsync();
            var (transactions, _) = await workload;

            var checkedRows = await ChaosPipeline.EveryTableEqualAsync(source, destination, processes);
            ChaosPipeline.AssertStillRunning(processes, "the kills of the other member");
            var fenced = await SkippedAsync(processes[Survivor], "already_applied") + await SkippedAsync(processes[Survivor], "replayed");
            var (resumes, notRedelivered) = ResumedFromOffsetsTable(processes[Survivor]);
            Assert.That(resumes, Is.GreaterThan(0), "the surviving member took partitions over where the offsets table said");
            TestContext.Out.WriteLine($"{transactions} transactions, {Kills} kills of one of two group members over {partitions} partitions; " +
                                      $"takeovers in {string.Join(", ", takeovers.Select(s => $"{s:0.0}"))} s, rejoins in {string.Join(", ", rejoins.Select(s => $"{s:0.0}"))} s; " +
                                      $"{checkedRows} rows checked; the surviving member resumed {resumes} partitions from the offsets table, ahead of Kafka's committed " +
                                      $"offsets by {notRedelivered} records (applied by the killed member, not committed to Kafka), and its fence skipped {fenced} records");
        }
        finally
        {
            foreach (var process in processes.Values) await process.DisposeAsync();
        }
    }

    /// <summary>Waits until both members hold partitions, together every one of them once.</summary>
    static Task SharedAsync(Dictionary<string, ConnectorProcess> processes, int partitions)
    {
        List<int> survivor = [], victim = [];
        return Poll.UntilAsync(async () =>
        {
            survivor = await processes[Survivor].AssignedPartitionsAsync();
            victim = await processes["victim"].AssignedPartitionsAsync();
            return survivor.Count > 0 && victim.Count > 0 && survivor.Count + victim.Count == partitions;
        }, ChaosPipeline.Timeout, () => $"both members to share the {partitions} partitions (survivor: {string.Join(",", survivor)}; victim: {string.Join(",", victim)}); " +
                                 $"the victim's output:{Environment.NewLine}{processes["victim"].Output}");
    }

    /// <summary>The process's <c>kafkacdc_sink_skipped_records_total</c> for <paramref name="reason"/>, over its tables.</summary>
    static async Task<long> SkippedAsync(ConnectorProcess sink, string reason)
    {
        var metrics = await sink.GetAsync("/metrics") ?? "";
        return metrics.Split('\n')
            .Where(l => l.StartsWith("kafkacdc_sink_skipped_records_total{", StringComparison.Ordinal) && l.Contains($"reason=\"{reason}\"", StringComparison.Ordinal))
            .Sum(l => (long)double.Parse(l[(l.LastIndexOf('}') + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// From the member's log: how many partitions it resumed at the offsets table's position, and by how many records in
    /// all that was past Kafka's committed offset (records the killed member applied that would otherwise come again).
    /// </summary>
    static (int Partitions, long Records) ResumedFromOffsetsTable(ConnectorProcess sink)
    {
        var resumes = Regex.Matches(sink.Output, @"resumes at offset (\d+) from the offsets table \(Kafka's committed offset: (\d*)\)");
        return (resumes.Count, resumes.Sum(m => m.Groups[2].Value.Length == 0 ? 0 : long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) - long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)));
    }

    static string FreePort() => LocalPorts.Free().ToString(CultureInfo.InvariantCulture);
}
