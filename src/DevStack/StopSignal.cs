using System.Diagnostics;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;

namespace KafkaCdc.DevStack;

/// <summary>
/// What stops the dev stack: SIGINT or SIGTERM (handled, so the process exits 0 after a clean shutdown), or the
/// exit of a watched parent process (a test run that crashed must not leak servers).
/// </summary>
public sealed class StopSignal : IDisposable
{
    readonly CancellationTokenSource _stop = new();
    readonly List<PosixSignalRegistration> _registrations = [];

    /// <summary>Starts listening for the signals, and for <paramref name="parentPid"/>'s exit when given.</summary>
    public StopSignal(int? parentPid, ILogger logger)
    {
        foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM })
        {
            _registrations.Add(PosixSignalRegistration.Create(signal, context =>
            {
                context.Cancel = true; // we shut down ourselves
                Log.StopRequested(logger, context.Signal.ToString());
                _stop.Cancel();
            }));
        }
        if (parentPid is { } pid) _ = WatchParentAsync(pid, logger);
    }

    /// <summary>Cancelled when the dev stack should stop.</summary>
    public CancellationToken Token => _stop.Token;

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var registration in _registrations) registration.Dispose();
        _stop.Dispose();
    }

    async Task WatchParentAsync(int pid, ILogger logger)
    {
        try
        {
            using var parent = Process.GetProcessById(pid);
            await parent.WaitForExitAsync(_stop.Token);
        }
        catch (ArgumentException)
        {
            // Not running (any more).
        }
        catch (OperationCanceledException)
        {
            return;
        }
        Log.ParentExited(logger, pid);
        try
        {
            _stop.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }
}
