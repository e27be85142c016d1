using System.Runtime.InteropServices;

namespace KafkaCdc.Shared.Hosting;

/// <summary>
/// Turns SIGTERM and SIGINT into a cancellation, so the connector stops reading, flushes, confirms what
/// was delivered and exits 0 instead of being torn down mid-batch.
/// </summary>
public sealed class ShutdownSignal : IDisposable
{
    readonly CancellationTokenSource _source = new();
    readonly PosixSignalRegistration[] _registrations;

    /// <summary>Registers the handlers.</summary>
    public ShutdownSignal()
    {
        _registrations =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle),
            PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle),
        ];
    }

    /// <summary>Cancelled when a shutdown signal arrives.</summary>
    public CancellationToken Token => _source.Token;

    void Handle(PosixSignalContext context)
    {
        context.Cancel = true;
        _source.Cancel();
    }

    /// <summary>Unregisters the handlers.</summary>
    public void Dispose()
    {
        foreach (var registration in _registrations) registration.Dispose();
        _source.Dispose();
    }
}
