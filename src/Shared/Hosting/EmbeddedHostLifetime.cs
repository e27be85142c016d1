using Microsoft.Extensions.Hosting;

namespace KafkaCdc.Shared.Hosting;

/// <summary>
/// A host lifetime that leaves the process alone. The default <c>ConsoleLifetime</c> takes over Ctrl-C and SIGTERM
/// for the whole process and waits for the host to stop, which would hijack the shutdown of the program embedding
/// an HTTP server (connector REST endpoint, dev stack registry and admin endpoint); with this lifetime the
/// embedding program decides when to stop, by disposing the server.
/// </summary>
public sealed class EmbeddedHostLifetime : IHostLifetime
{
    /// <inheritdoc />
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
