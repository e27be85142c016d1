namespace KafkaCdc.DevStack;

/// <summary>
/// One server of the dev stack (the Kafka mock cluster, PostgreSQL, the admin endpoint, and later the schema
/// registry). <see cref="DevStackHost"/> starts the components in list order, publishes the environment
/// variables each returns, and disposes them in reverse order on shutdown.
/// </summary>
public interface IDevStackComponent : IAsyncDisposable
{
    /// <summary>A short name for logs and errors, e.g. <c>kafka</c>.</summary>
    string Name { get; }

    /// <summary>Starts the component.</summary>
    /// <param name="environment">
    /// The variables published by the components started before this one, so a component can find the ones it
    /// depends on (e.g. the schema registry reads <see cref="DevStackVariables.KafkaBootstrapServers"/>).
    /// </param>
    /// <param name="cancellationToken">Cancelled when the dev stack is asked to stop during start-up.</param>
    /// <returns>The <c>KEY=VALUE</c> variables clients need to reach this component, in display order.</returns>
    Task<IReadOnlyList<KeyValuePair<string, string>>> StartAsync(
        IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken);
}
