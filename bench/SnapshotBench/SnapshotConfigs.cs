using System.Globalization;
using KafkaCdc.Bench.Common;

namespace KafkaCdc.Bench.Snapshot;

/// <summary>The connectors' configurations for this benchmark: the common ones on its databases, with its snapshot options.</summary>
internal sealed class SnapshotConfigs(ConnectorConfigs configs, BenchSettings settings)
{
    /// <summary>The change topic of <c>public.bench</c> for a run's topic prefix.</summary>
    public static string TopicOf(string prefix) => ConnectorConfigs.TopicOf(prefix, BenchDatabases.Table);

    /// <summary>
    /// A source capturing <c>public.bench</c> of the source database through its own slot and topic, with the
    /// given <c>snapshot.mode</c> and, when given, <c>snapshot.max.threads</c>; no heartbeats.
    /// </summary>
    public Dictionary<string, string> Source(string name, string slot, string topicPrefix, string snapshotMode, int? threads)
    {
        var config = configs.Source(name, BenchDatabases.SourceDatabase, slot, BenchDatabases.Publication, BenchDatabases.Table, topicPrefix, snapshotMode);
        if (threads is { } t) config["snapshot.max.threads"] = t.ToString(CultureInfo.InvariantCulture);
        if (settings.FetchSize is { } fetch) config["snapshot.fetch.size"] = fetch.ToString(CultureInfo.InvariantCulture);
        if (settings.ChunkSize is { } chunk) config["incremental.snapshot.chunk.size"] = chunk.ToString(CultureInfo.InvariantCulture);
        return config;
    }

    /// <summary>A sink writing <paramref name="topic"/> into <c>public.bench</c> of the destination database.</summary>
    public Dictionary<string, string> Sink(string name, string topic, string group) =>
        configs.Sink(name, BenchDatabases.DestinationDatabase, topic, group, settings.SinkMode, settings.SinkTasks);
}
