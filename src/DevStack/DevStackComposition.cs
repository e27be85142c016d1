using KafkaCdc.DevStack.Admin;
using KafkaCdc.DevStack.Kafka;
using KafkaCdc.DevStack.Postgres;
using KafkaCdc.DevStack.SchemaRegistry;
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

        components.Add(new SchemaRegistryComponent(options.RegistryPort, loggerFactory));
        components.Add(new AdminEndpoint(kafka, options.AdminPort, logger));
        return components;
    }
}
