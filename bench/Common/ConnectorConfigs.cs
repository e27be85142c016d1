using System.Globalization;
using Npgsql;

namespace KafkaCdc.Bench.Common;

/// <summary>
/// The connectors' configurations for a benchmark's runs (the keys of the README's configuration tables): everything
/// reaches the benchmark's one PostgreSQL server, Kafka and registry; each run names its database, slot, publication,
/// table, topic and group.
/// </summary>
public sealed class ConnectorConfigs(string serverConnectionString, string bootstrapServers, string registryUrl, string logLevel)
{
    readonly NpgsqlConnectionStringBuilder _server = new(serverConnectionString);

    /// <summary>The change topic of <paramref name="table"/> for a run's topic prefix (the source's <c>topic.name.format</c> below).</summary>
    public static string TopicOf(string prefix, string table) => $"{prefix}_{table}";

    /// <summary>
    /// A source capturing <c>public.<paramref name="table"/></c> of <paramref name="database"/> through its own slot and
    /// an existing publication, into the topic <see cref="TopicOf"/>, with the given <c>snapshot.mode</c>; no heartbeats.
    /// </summary>
    public Dictionary<string, string> Source(string name, string database, string slot, string publication, string table, string topicPrefix, string snapshotMode) => new()
    {
        ["name"] = name,
        ["database.hostname"] = _server.Host!,
        ["database.port"] = _server.Port.ToString(CultureInfo.InvariantCulture),
        ["database.user"] = _server.Username!,
        ["database.password"] = _server.Password!,
        ["database.dbname"] = database,
        ["database.sslmode"] = "disable",
        ["slot.name"] = slot,
        ["publication.name"] = publication,
        ["publication.autocreate.mode"] = "disabled",
        ["table.include.list"] = $"public.{table}",
        ["topic.name.format"] = topicPrefix + "_{table}",
        ["heartbeat.action"] = "none",
        ["snapshot.mode"] = snapshotMode,
        ["kafka.bootstrap.servers"] = bootstrapServers,
        ["schema.registry.url"] = registryUrl,
        ["log.level"] = logLevel,
    };

    /// <summary>A sink writing <paramref name="topic"/> into the table of the same name as the source's in <paramref name="database"/>.</summary>
    public Dictionary<string, string> Sink(string name, string database, string topic, string group, string insertMode, int tasks) => new()
    {
        ["name"] = name,
        ["topics"] = topic,
        ["group.id"] = group,
        ["insert.mode"] = insertMode,
        ["tasks.max"] = tasks.ToString(CultureInfo.InvariantCulture),
        ["table.name.format"] = "${source.table}",
        ["connection.hostname"] = _server.Host!,
        ["connection.port"] = _server.Port.ToString(CultureInfo.InvariantCulture),
        ["connection.username"] = _server.Username!,
        ["connection.password"] = _server.Password!,
        ["connection.database"] = database,
        ["connection.sslmode"] = "disable",
        ["kafka.bootstrap.servers"] = bootstrapServers,
        ["schema.registry.url"] = registryUrl,
        ["log.level"] = logLevel,
        // As SinkBench: the mock cluster waits up to the session timeout for members to rejoin after the second task joins.
        ["kafka.session.timeout.ms"] = "6000",
    };
}
