using KafkaCdc.Bench.Common;
using KafkaCdc.DevStack.Kafka;
using Npgsql;

namespace KafkaCdc.Bench.Pipeline;

/// <summary>
/// The pipeline: a sink process (its tasks given all partitions before anything is written), then a source process
/// streaming the run's table (<c>snapshot.mode=no_data</c>, a slot of its own) into a topic of its own. The destination
/// holds the final state once the sink's offsets table, written in the same transactions as the rows, counts every
/// record the workload made.
/// </summary>
internal sealed class PipelinePath(BenchDatabases databases, ConnectorConfigs configs, MockKafkaCluster kafka, PipelineSettings settings,
    string table, int sinkTasks, long changes, string snapshotMode = "no_data") : IReplicationPath
{
    readonly string _group = $"pipebench-{table}-{Guid.NewGuid():N}";

    public string Name => $"pipeline, {sinkTasks} sink task{(sinkTasks == 1 ? "" : "s")}";

    public string Destination => databases.Sink;

    public ConnectorProcess? SourceProcess { get; private set; }

    public ConnectorProcess? SinkProcess { get; private set; }

    /// <summary>The topic's partitions: <c>--partitions</c>.</summary>
    public int Partitions { get; init; } = settings.Partitions;

    string Topic => ConnectorConfigs.TopicOf("pipe", table);

    string Slot => $"pipebench_{table}";

    public async Task StartAsync()
    {
        await StartSinkAsync();
        StartSource();
        if (snapshotMode == "no_data")
            await SourceProcess!.WaitForStatusAsync(s => s.GetProperty("state").GetString() == "streaming", TimeSpan.FromSeconds(60), "streaming");
    }

    /// <summary>Starts the sink and waits until its tasks hold every partition.</summary>
    public async Task StartSinkAsync()
    {
        kafka.CreateTopic(Topic, Partitions, 1);
        var config = configs.Sink($"pipebench-sink-{table}", "pipe_sink", Topic, _group, settings.SinkMode, sinkTasks);
        foreach (var (key, value) in settings.SinkKeys) config[key] = value;
        SinkProcess = ConnectorProcess.StartSink($"sink {table}", config);
        await SinkProcess.WaitForAssignmentAsync(Topic, sinkTasks, Partitions);
    }

    /// <summary>Starts the source (its start-up is not waited for).</summary>
    public void StartSource()
    {
        var config = configs.Source($"pipebench-{table}", "pipe_source", Slot, BenchDatabases.Publication(table), table, "pipe", snapshotMode);
        foreach (var (key, value) in settings.SourceKeys) config[key] = value;
        SourceProcess = ConnectorProcess.StartSource($"source {table}", config);
    }

    public async Task<bool> HoldsFinalStateAsync(NpgsqlConnection destination, WorkloadWriter? writer) =>
        await SinkOffsets.AppliedAsync(destination, _group) >= changes;

    public void ThrowIfFailed()
    {
        SourceProcess?.ThrowIfExited();
        SinkProcess?.ThrowIfExited();
    }

    /// <summary>Records written to the topic (its partitions' high watermarks) and dropped by the mock's retention.</summary>
    public (long Written, long Dropped) TopicRecords() => KafkaTopics.Watermarks(kafka.BootstrapServers, Topic, Partitions);

    public async ValueTask DisposeAsync()
    {
        SourceProcess?.Dispose();
        SinkProcess?.Dispose();
        await ReplicationSlots.DropAsync(databases.Source, Slot);
    }
}
