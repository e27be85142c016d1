using System.Globalization;
using Npgsql;

namespace KafkaCdc.Bench.Snapshot;

/// <summary>The connectors' configurations for one benchmark (the keys of the README's configuration tables).</summary>
internal sealed class ConnectorConfigs(string serverConnectionString, string bootstrapServers, string registryUrl, BenchSettings settings)
{
    readonly NpgsqlConnectionStringBuilder _server = new(serverConnectionString);

    /// <summary>The change topic of <c>public.bench</c> for a run's topic prefix.</summary>
    public static string TopicOf(string prefix) => $"{prefix}_{BenchDatabases.Table}";

    /// <summary>
    /// A source capturing <c>public.bench</c> of the source database through its own slot and topic, with the
    /// given <c>snapshot.mode</c> and, when given, <c>snapshot.max.threads</c>; no heartbeats.
    /// </summary>
    public Dictionary<string, string> Source(string name, string slot, string topicPrefix, string snapshotMode, int? threads)
    {
        var config = new Dictionary<string, string>
        {
            ["name"] = name,
            ["database.hostname"] = _server.Host!,
            ["database.port"] = _server.Port.ToString(CultureInfo.InvariantCulture),
            ["database.user"] = _server.Username!,
            ["database.password"] = _server.Password!,
            ["database.dbname"] = BenchDatabases.SourceDatabase,
            ["database.sslmode"] = "disable",
            ["slot.name"] = slot,
            ["publication.name"] = BenchDatabases.Publication,
            ["publication.autocreate.mode"] = "disabled",
            ["table.include.list"] = $"public.{BenchDatabases.Table}",
            ["topic.name.format"] = topicPrefix + "_{table}",
            ["heartbeat.action"] = "none",
            ["snapshot.mode"] = snapshotMode,
            ["kafka.bootstrap.servers"] = bootstrapServers,
            ["schema.registry.url"] = registryUrl,
            ["log.level"] = settings.LogLevel,
        };
        if (threads is { } t) config["snapshot.max.threads"] = t.ToString(CultureInfo.InvariantCulture);
        if (settings.FetchSize is { } fetch) config["snapshot.fetch.size"] = fetch.ToString(CultureInfo.InvariantCulture);
        if (settings.ChunkSize is { } chunk) config["incremental.snapshot.chunk.size"] = chunk.ToString(CultureInfo.InvariantCulture);
        return config;
    }

    /// <summary>A sink writing <paramref name="topic"/> into <c>public.bench</c> of the destination database.</summary>
    public Dictionary<string, string> Sink(string name, string topic, string group) => new()
    {
        ["name"] = name,
        ["topics"] = topic,
        ["group.id"] = group,
        ["insert.mode"] = settings.SinkMode,
        ["tasks.max"] = settings.SinkTasks.ToString(CultureInfo.InvariantCulture),
        ["table.name.format"] = "${source.table}",
        ["connection.hostname"] = _server.Host!,
        ["connection.port"] = _server.Port.ToString(CultureInfo.InvariantCulture),
        ["connection.username"] = _server.Username!,
        ["connection.password"] = _server.Password!,
        ["connection.database"] = BenchDatabases.DestinationDatabase,
        ["connection.sslmode"] = "disable",
        ["kafka.bootstrap.servers"] = bootstrapServers,
        ["schema.registry.url"] = registryUrl,
        ["log.level"] = settings.LogLevel,
        // As SinkBench: the mock cluster waits up to the session timeout for members to rejoin after the second task joins.
        ["kafka.session.timeout.ms"] = "6000",
    };
}
