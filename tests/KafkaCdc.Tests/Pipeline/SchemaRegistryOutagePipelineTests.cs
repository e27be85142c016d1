using System.Diagnostics;
using KafkaCdc.DevStack;
using KafkaCdc.Tests.SinkConnector.Support;
using KafkaCdc.Tests.SourceConnector;

namespace KafkaCdc.Tests.Pipeline;

/// <summary>
/// Issue 14's chaos list: the schema registry unreachable for ten seconds under load, with separate processes. Both
/// connectors reach the registry through a <see cref="TcpForwarder"/> that resets every connection while paused. During
/// the outage the source must register a new schema (a column is added to a table) and a sink restarted then has no
/// schema cached, so both have to wait for the registry and go on, not exit.
/// </summary>
public class SchemaRegistryOutagePipelineTests
{
    static readonly TimeSpan s_outage = TimeSpan.FromSeconds(10);

    [Test]
    public async Task RegistryUnreachableFor10Seconds_WhileAColumnIsAddedAndASinkRestarts_BothConnectorsResume_EveryTableEqual()
    {
        var port = LocalPorts.Free();
        using var registry = TcpForwarder.Start(port, new Uri(TestEnvironment.RequireSchemaRegistryUrl()));
        var url = $"http://127.0.0.1:{port}";
        await using var source = await SourceTestDatabase.CreateAsync("registry_outage", ChaosPipeline.Tables);
        var destination = await SinkDestination.CreateAsync("registry_outage_dst");
        var sourceConfig = new Dictionary<string, string>(source.Config()) { ["schema.registry.url"] = url };
        var (upsertConfig, insertConfig) = ChaosPipeline.SinkConfigsFor(source, destination);
        upsertConfig["schema.registry.url"] = insertConfig["schema.registry.url"] = url;
        var processes = new Dictionary<string, ConnectorProcess>();
        try
        {
            using var stopWorkload = new CancellationTokenSource();
            var workload = await ChaosPipeline.StartUnderLoadAsync(processes, source, destination, stopWorkload.Token, sourceConfig, (upsertConfig, insertConfig));

            registry.Pause();
            var outage = Stopwatch.StartNew();
            // Started now, the sink has no schema cached: the first record it reads needs the registry.
            await processes["upsert sink"].KillAsync();
            await processes["upsert sink"].DisposeAsync();
            processes["upsert sink"] = ConnectorProcess.StartSink(upsertConfig);
            // keyed's next change has a new schema, which the source must register before it can send it.
            await source.ExecuteAsync("ALTER TABLE keyed ADD COLUMN note text DEFAULT 'added'; UPDATE keyed SET note = 'during the outage' WHERE id % 5 = 0");
            await processes["upsert sink"].WaitForOutputAsync("schema registry unavailable while decoding", s_outage);
            var waited = s_outage - outage.Elapsed;
            if (waited > TimeSpan.Zero) await Task.Delay(waited); // the rest of the outage itself, while the workload writes on
            ChaosPipeline.AssertStillRunning(processes, "the registry outage");
            registry.Resume();
            outage.Stop();
            await stopWorkload.CancelAsync();
            var (transactions, _) = await workload;

            var checkedRows = await ChaosPipeline.EveryTableEqualAsync(source, destination, processes);
            ChaosPipeline.AssertStillRunning(processes, "the catch-up after the registry outage");
            Assert.That(await destination.ColumnsAsync(source.Topic("keyed")), Does.Contain("note text"), "the column added during the outage");
            var sourceRetries = Lines(processes["source"], "Transient failure, reconnecting");
            var sinkRetries = Lines(processes["upsert sink"], "schema registry unavailable while decoding");
            Assert.That(sourceRetries, Is.GreaterThan(0), () => $"the source needed the registry during the outage (the new schema):{Environment.NewLine}{processes["source"].Output}");
            TestContext.Out.WriteLine($"{transactions} transactions, registry unreachable for {outage.Elapsed.TotalSeconds:0.#} s " +
                                      $"({registry.ResetConnections} connections reset; the source reconnected {sourceRetries} times, the restarted sink retried " +
                                      $"{sinkRetries} records); {checkedRows} rows checked");
        }
        finally
        {
            foreach (var process in processes.Values) await process.DisposeAsync();
        }
    }

    static int Lines(ConnectorProcess process, string text) => process.Output.Split('\n').Count(l => l.Contains(text, StringComparison.Ordinal));
}
