using Microsoft.Extensions.Hosting;

namespace KafkaCdc.DevStack.SchemaRegistry;

/// <summary>
/// A host lifetime that leaves the process alone. The default <c>ConsoleLifetime</c> takes over Ctrl-C and SIGTERM
/// for the whole process and waits for the host to stop, which would hijack the shutdown of the program embedding
/// the registry; here the embedding program decides when to stop, through <see cref="SchemaRegistryServer.DisposeAsync"/>.
/// </summary>
sealed class EmbeddedHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
