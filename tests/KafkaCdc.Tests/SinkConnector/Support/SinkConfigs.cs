using KafkaCdc.Shared.Configuration;
using KafkaCdc.SinkConnector.Configuration;

namespace KafkaCdc.Tests.SinkConnector.Support;

/// <summary>Sink configurations for tests: the run's Kafka and registry, a destination, short timeouts.</summary>
internal static class SinkConfigs
{
    /// <summary>
    /// 3 s on the mock cluster; 6 s (the lowest <c>group.min.session.timeout.ms</c> of real brokers) elsewhere. The mock
    /// waits the session timeout minus 1 s for members to rejoin after each join or leave, and notices a killed member
    /// after the session timeout. 2 s was tried: under the full suite's load a member missing its heartbeats for 2 s was
    /// evicted, and the extra rebalance failed a test that counts rebalances (TableStopTests); heartbeats every 200 ms
    /// make every member learn of a rebalance sooner without that risk.
    /// </summary>
    public static int SessionTimeoutMs => TestEnvironment.IsMockKafka ? 3000 : 6000;

    /// <summary>
    /// The keys every test sink needs, reading <paramref name="topic"/> into <paramref name="destination"/>, in a group of
    /// its own, with <see cref="SessionTimeoutMs"/> and heartbeats every 200 ms (a tenth of it).
    /// </summary>
    public static Dictionary<string, string> For(SinkDestination destination, string topic, params (string Key, string Value)[] overrides)
    {
        var config = new Dictionary<string, string>(destination.SinkConfig())
        {
            ["name"] = TestEnvironment.UniqueName("sink"),
            ["topics"] = topic,
            ["group.id"] = TestEnvironment.UniqueName("sink_group"),
            ["kafka.bootstrap.servers"] = TestEnvironment.KafkaBootstrapServers,
            ["kafka.session.timeout.ms"] = SessionTimeoutMs.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["kafka.heartbeat.interval.ms"] = "200",
            ["schema.registry.url"] = TestEnvironment.RequireSchemaRegistryUrl(),
            ["rest.port"] = "0",
            ["batch.linger.ms"] = "50",
            ["errors.retry.delay.max.ms"] = "1000",
        };
        foreach (var (key, value) in overrides)
        {
            if (value is null) config.Remove(key);
            else config[key] = value;
        }
        return config;
    }

    /// <summary>Reads options from <paramref name="config"/> without the process environment.</summary>
    public static SinkOptions Options(IReadOnlyDictionary<string, string> config) =>
        SinkOptions.Read(new ConfigReader(RawConfig.FromPairs(config), new Dictionary<string, string>()));
}
