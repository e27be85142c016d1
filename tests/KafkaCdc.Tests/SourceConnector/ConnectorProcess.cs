using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace KafkaCdc.Tests.SourceConnector;

/// <summary>
/// The built connector run as a child process (<c>dotnet KafkaCdc.SourceConnector.dll [command] --config FILE</c>,
/// from the test output directory, where the project reference puts it), so tests can kill it, signal it and read
/// its exit code and output.
/// </summary>
internal sealed class ConnectorProcess : IAsyncDisposable
{
    const int SigKill = 9;
    const int SigTerm = 15;

    readonly Process _process;
    readonly StringBuilder _output = new();
    readonly string _configPath;

    ConnectorProcess(Process process, string configPath)
    {
        _process = process;
        _configPath = configPath;
    }

    /// <summary>Standard output and error so far, interleaved.</summary>
    public string Output
    {
        get
        {
            lock (_output) return _output.ToString();
        }
    }

    /// <summary>The exit code, once exited.</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>Whether it has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Starts <c>[command] --config FILE</c> with <paramref name="config"/> written as the JSON file.</summary>
    public static ConnectorProcess Start(IReadOnlyDictionary<string, string> config, string? command = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var configPath = Path.Combine(Path.GetTempPath(), $"kafkacdc-source-{Guid.NewGuid():N}.json");
        File.WriteAllText(configPath, JsonSerializer.Serialize(config));
        var dll = Path.Combine(AppContext.BaseDirectory, "KafkaCdc.SourceConnector.dll");
        var start = new ProcessStartInfo(DotnetHost()) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(dll);
        if (command is not null) start.ArgumentList.Add(command);
        start.ArgumentList.Add("--config");
        start.ArgumentList.Add(configPath);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        var process = new Process { StartInfo = start };
        var connector = new ConnectorProcess(process, configPath);
        process.OutputDataReceived += (_, e) => connector.Append(e.Data);
        process.ErrorDataReceived += (_, e) => connector.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return connector;
    }

    /// <summary>Runs a command to its end and returns the exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(IReadOnlyDictionary<string, string> config, string? command, TimeSpan timeout)
    {
        await using var process = Start(config, command);
        var exitCode = await process.WaitForExitAsync(timeout);
        return (exitCode, process.Output);
    }

    /// <summary>Waits until the output contains <paramref name="text"/>; fails if the process exits first.</summary>
    public Task WaitForOutputAsync(string text, TimeSpan timeout) =>
        Poll.UntilAsync(() =>
        {
            if (Output.Contains(text, StringComparison.Ordinal)) return true;
            if (_process.HasExited) Assert.Fail($"the connector exited with {_process.ExitCode} before printing '{text}':\n{Output}");
            return false;
        }, timeout, $"the connector to print '{text}'");

    /// <summary>SIGKILL: no chance to flush or confirm anything.</summary>
    public async Task KillAsync()
    {
        _ = kill(_process.Id, SigKill);
        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM, then waits for the exit.</summary>
    public Task<int> TerminateAsync(TimeSpan timeout)
    {
        _ = kill(_process.Id, SigTerm);
        return WaitForExitAsync(timeout);
    }

    /// <summary>Waits for the exit; fails (after killing it) on timeout.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            Assert.Fail($"the connector did not exit within {timeout.TotalSeconds:0}s; its output:\n{Output}");
        }
        await _process.WaitForExitAsync(); // drains the output
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        File.Delete(_configPath);
    }

    void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    static string DotnetHost()
    {
        var hostPath = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(hostPath) && File.Exists(hostPath)) return hostPath;
        var processPath = Environment.ProcessPath;
        return processPath is not null && Path.GetFileNameWithoutExtension(processPath) == "dotnet" ? processPath : "dotnet";
    }

    [DllImport("libc", SetLastError = true)]
    static extern int kill(int pid, int signal);
}
