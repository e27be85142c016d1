using Microsoft.Extensions.Logging;

namespace KafkaCdc.DevStack;

/// <summary>
/// Runs the dev stack: starts the components in order, passing each the variables of those before it,
/// prints all variables as <c>KEY=VALUE</c> lines and writes them to the env file, then waits for the stop
/// signal and disposes the components in reverse order (removing the env file, whose endpoints are gone).
/// </summary>
public sealed class DevStackHost
{
    readonly IReadOnlyList<IDevStackComponent> _components;
    readonly ILogger _logger;

    /// <summary>Creates a host for <paramref name="components"/>, started in list order.</summary>
    public DevStackHost(IReadOnlyList<IDevStackComponent> components, ILogger logger)
    {
        _components = components;
        _logger = logger;
    }

    /// <summary>Runs until <paramref name="stop"/> is cancelled.</summary>
    /// <param name="envFile">The env file to write, or null.</param>
    /// <param name="output">Where the <c>KEY=VALUE</c> lines are printed (stdout).</param>
    /// <param name="stop">Cancelled to shut down (also during start-up).</param>
    /// <returns>The process exit code: 0 after a clean stop, 1 when a component failed to start.</returns>
    public async Task<int> RunAsync(string? envFile, TextWriter output, CancellationToken stop)
    {
        var started = new List<IDevStackComponent>();
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        var variables = new List<KeyValuePair<string, string>>();
        var exitCode = 0;
        var envFileWritten = false;
        try
        {
            foreach (var component in _components)
            {
                Log.Starting(_logger, component.Name);
                started.Add(component); // disposed even if it fails half-way through starting
                foreach (var variable in await component.StartAsync(environment, stop))
                {
                    environment[variable.Key] = variable.Value;
                    variables.Add(variable);
                }
            }

            foreach (var (key, value) in variables) await output.WriteLineAsync(EnvFile.FormatLine(key, value));
            await output.FlushAsync(stop);
            if (envFile is not null)
            {
                await EnvFile.WriteAsync(envFile, variables, stop);
                envFileWritten = true;
                Log.Ready(_logger, Path.GetFullPath(envFile));
            }

            await Task.Delay(Timeout.Infinite, stop);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            Log.StartFailed(_logger, e, started.Count > 0 ? started[^1].Name : "dev stack");
            exitCode = 1;
        }
        finally
        {
            if (envFileWritten) File.Delete(envFile!);
            for (var i = started.Count - 1; i >= 0; i--)
            {
                try
                {
                    Log.Stopping(_logger, started[i].Name);
                    await started[i].DisposeAsync();
                }
                catch (Exception e)
                {
                    Log.StopFailed(_logger, e, started[i].Name);
                    exitCode = 1;
                }
            }
        }
        return exitCode;
    }
}
