using KafkaCdc.DevStack.Admin;
using KafkaCdc.DevStack.Kafka;
using KafkaCdc.DevStack.Postgres;
using Microsoft.Extensions.Logging;

namespace KafkaCdc.DevStack;

/// <summary>Which components the dev stack runs, and in which order, for a command line.</summary>
public static class DevStackComposition
{
    /// <summary>The components for <paramref name="options"/>, in start order.</summary>
    public static IReadOnlyList<IDevStackComponent> Create(DevStackOptions options, ILoggerFactory loggerFactory)
    {
        var logger = loggerFactory.CreateLogger("KafkaCdc.DevStack");
        var kafka = new MockKafkaComponent(options.Brokers, logger);
        var components = new List<IDevStackComponent> { kafka };
        if (options.Postgres) components.Add(new PostgresComponent(logger));

        // Extension point: the schema registry. It is an IDevStackComponent hosting its own HTTP server in this
        // process on its own port; it goes here, after Kafka (and PostgreSQL), reads KAFKA_BOOTSTRAP_SERVERS from
        // the environment passed to StartAsync if it needs it, and returns SCHEMA_REGISTRY_URL
        // (DevStackVariables.SchemaRegistryUrl), which the host prints and writes to the env file.

        components.Add(new AdminEndpoint(kafka, options.AdminPort, logger));
        return components;
    }
}
