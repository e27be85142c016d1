using System.Diagnostics;
using System.Text;
using KafkaCdc.DevStack;

namespace KafkaCdc.Tests;

/// <summary>
/// A KafkaCdc.DevStack child process: started with an env file in a temporary directory, ready once that
/// file appears (the dev stack writes it atomically after every component started).
/// </summary>
/// <remarks>
/// The test project references the DevStack project, so <c>KafkaCdc.DevStack.dll</c> with its own
/// <c>.runtimeconfig.json</c> and <c>.deps.json</c> sits in the test output directory, next to the
/// <c>runtimes/*/native/librdkafka.so</c> both share; it is run through the <c>dotnet</c> host running the
/// tests, so no apphost or <c>DOTNET_ROOT</c> is needed.
/// </remarks>
internal sealed class DevStackProcess : IAsyncDisposable
{
    readonly Process _process;
    readonly StringBuilder _output = new();
    readonly string _directory;

    DevStackProcess(Process process, string directory)
    {
        _process = process;
        _directory = directory;
    }

    /// <summary>The env file the dev stack writes.</summary>
    public string EnvFilePath => Path.Combine(_directory, "devstack.env");

    /// <summary>The variables of the env file, once started.</summary>
    public IReadOnlyDictionary<string, string> Variables { get; private set; } = new Dictionary<string, string>();

    /// <summary>The child's process id.</summary>
    public int Pid => _process.Id;

    /// <summary>Whether the child has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Everything the child printed so far (stdout and stderr interleaved).</summary>
    public string Output
    {
        get
        {
            lock (_output) return _output.ToString();
        }
    }

    /// <summary>Starts a dev stack with <paramref name="arguments"/> (plus <c>--env-file</c>) and waits until it is ready.</summary>
    /// <exception cref="InvalidOperationException">It exited or was not ready in time; the message has its output.</exception>
    public static async Task<DevStackProcess> StartAsync(IEnumerable<string> arguments, TimeSpan timeout)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "KafkaCdc.DevStack.dll");
        if (!File.Exists(dll) || !File.Exists(Path.ChangeExtension(dll, ".runtimeconfig.json")))
            throw new InvalidOperationException($"{dll} (with its .runtimeconfig.json) is missing: build the solution first");

        var start = new ProcessStartInfo(ChildProcesses.DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var directory = Directory.CreateTempSubdirectory("kafkacdc-devstack-").FullName;
        start.ArgumentList.Add(dll);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.ArgumentList.Add("--env-file");
        start.ArgumentList.Add(Path.Combine(directory, "devstack.env"));

        var process = new Process { StartInfo = start };
        var devStack = new DevStackProcess(process, directory);
        process.OutputDataReceived += (_, e) => devStack.Append(e.Data);
        process.ErrorDataReceived += (_, e) => devStack.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow + timeout;
        while (!File.Exists(devStack.EnvFilePath))
        {
            if (process.HasExited)
            {
                await process.WaitForExitAsync(); // drains the output
                devStack.DeleteDirectory();
                throw new InvalidOperationException(
                    $"the dev stack exited with {process.ExitCode} before it was ready; its output:\n{devStack.Output}");
            }
            if (DateTime.UtcNow >= deadline)
            {
                await devStack.StopAsync(TimeSpan.FromSeconds(5));
                throw new InvalidOperationException(
                    $"timed out after {timeout.TotalSeconds:0}s waiting for the dev stack to write {devStack.EnvFilePath}; its output:\n{devStack.Output}");
            }
            await Task.Delay(50);
        }
        devStack.Variables = EnvFile.Parse(await File.ReadAllTextAsync(devStack.EnvFilePath));
        return devStack;
    }

    /// <summary>Sends SIGTERM and waits for the exit; kills the process tree after <paramref name="timeout"/>.</summary>
    /// <returns>The exit code, or null when it had to be killed.</returns>
    public async Task<int?> StopAsync(TimeSpan timeout)
    {
        if (!_process.HasExited) ChildProcesses.Signal(_process.Id, ChildProcesses.SigTerm);
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
            return _process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
            return null;
        }
        finally
        {
            DeleteDirectory();
        }
    }

    /// <summary>Stops the process if it still runs and removes its temporary directory.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) await StopAsync(TimeSpan.FromSeconds(15));
        DeleteDirectory();
        _process.Dispose();
    }

    /// <summary>Waits for the process to exit on its own.</summary>
    public Task WaitForExitAsync(CancellationToken cancellationToken) => _process.WaitForExitAsync(cancellationToken);

    /// <summary>The exit code, once exited.</summary>
    public int ExitCode => _process.ExitCode;

    void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    void DeleteDirectory()
    {
        try
        {
            if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
