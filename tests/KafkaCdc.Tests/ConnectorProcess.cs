using System.Diagnostics;
using System.Text;
using System.Text.Json;
using KafkaCdc.DevStack;

namespace KafkaCdc.Tests;

/// <summary>
/// A built connector run as a child process, as it is deployed: <c>dotnet KafkaCdc.{Source|Sink}Connector.dll [command]
/// --config FILE</c> from the test output directory (where the project references put it), so tests can kill it, signal
/// it, query its REST endpoint and read its exit code and output. Inherited <c>KCDC_*</c> variables are removed, so only
/// the config file and <c>environment</c> configure it.
/// </summary>
internal sealed class ConnectorProcess : IAsyncDisposable
{
    readonly Process _process;
    readonly StringBuilder _output = new();
    readonly string _configPath;
    readonly string _program;

    ConnectorProcess(Process process, string program, string configPath, int? restPort)
    {
        _process = process;
        _program = program;
        _configPath = configPath;
        RestPort = restPort;
    }

    /// <summary>Standard output and error so far, interleaved.</summary>
    public string Output
    {
        get
        {
            lock (_output) return _output.ToString();
        }
    }

    /// <summary>The REST port, when one was configured.</summary>
    public int? RestPort { get; }

    /// <summary>The process id.</summary>
    public int Pid => _process.Id;

    /// <summary>The exit code, once exited.</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>Whether it has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Starts the source with <c>[command] --config FILE</c>, <paramref name="config"/> written as the JSON file.</summary>
    public static ConnectorProcess StartSource(IReadOnlyDictionary<string, string> config, string? command = null, IReadOnlyDictionary<string, string>? environment = null) =>
        Start("KafkaCdc.SourceConnector", config, command, environment);

    /// <summary>Starts the sink with <c>command --config FILE</c>, <paramref name="config"/> written as the JSON file.</summary>
    public static ConnectorProcess StartSink(IReadOnlyDictionary<string, string> config, string command = "run") =>
        Start("KafkaCdc.SinkConnector", config, command, null);

    /// <summary>Runs a source command to its end and returns the exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunSourceAsync(IReadOnlyDictionary<string, string> config, string? command, TimeSpan timeout)
    {
        await using var process = StartSource(config, command);
        var exitCode = await process.WaitForExitAsync(timeout);
        return (exitCode, process.Output);
    }


    static ConnectorProcess Start(string program, IReadOnlyDictionary<string, string> config, string? command, IReadOnlyDictionary<string, string>? environment)
    {
        var configPath = Path.Combine(Path.GetTempPath(), $"{program}-{Guid.NewGuid():N}.json");
        File.WriteAllText(configPath, JsonSerializer.Serialize(config));
        var start = new ProcessStartInfo(ChildProcesses.DotnetHost()) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, $"{program}.dll"));
        if (command is not null) start.ArgumentList.Add(command);
        start.ArgumentList.Add("--config");
        start.ArgumentList.Add(configPath);
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("KCDC_", StringComparison.Ordinal)).ToList()) start.Environment.Remove(name);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        var process = new Process { StartInfo = start };
        var restPort = config.TryGetValue("rest.port", out var port) && port != "0" ? int.Parse(port) : (int?)null;
        var connector = new ConnectorProcess(process, program, configPath, restPort);
        process.OutputDataReceived += (_, e) => connector.Append(e.Data);
        process.ErrorDataReceived += (_, e) => connector.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return connector;
    }

    /// <summary>Waits until the output contains <paramref name="text"/>; fails if the process exits first.</summary>
    public Task WaitForOutputAsync(string text, TimeSpan timeout) =>
        Poll.UntilAsync(() =>
        {
            if (Output.Contains(text, StringComparison.Ordinal)) return true;
            if (_process.HasExited) Assert.Fail($"{_program} exited with {_process.ExitCode} before printing '{text}':\n{Output}");
            return false;
        }, timeout, $"{_program} to print '{text}'");

    /// <summary>SIGKILL: no chance to flush, confirm or commit anything.</summary>
    public async Task KillAsync()
    {
        ChildProcesses.Signal(_process.Id, ChildProcesses.SigKill);
        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM, then waits for the exit code.</summary>
    public Task<int> TerminateAsync(TimeSpan timeout)
    {
        ChildProcesses.Signal(_process.Id, ChildProcesses.SigTerm);
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
            Assert.Fail($"{_program} did not exit within {timeout.TotalSeconds:0}s; its output:\n{Output}");
        }
        await _process.WaitForExitAsync(); // drains the output
        return _process.ExitCode;
    }

    /// <summary>GET on the REST endpoint; null while it does not answer.</summary>
    public async Task<string?> GetAsync(string path)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            return await http.GetStringAsync($"http://127.0.0.1:{RestPort}{path}");
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    /// <summary>The partitions the sink's tasks hold, from <c>/status</c>.</summary>
    public async Task<List<int>> AssignedPartitionsAsync()
    {
        var status = await GetAsync("/status");
        if (status is null) return [];
        using var document = JsonDocument.Parse(status);
        return [.. document.RootElement.GetProperty("tasks").EnumerateArray()
            .SelectMany(t => t.GetProperty("partitions").EnumerateArray()).Select(p => p.GetProperty("partition").GetInt32()).Order()];
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
}
