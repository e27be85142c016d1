using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace KafkaCdc.Tests.SinkConnector.Support;

/// <summary>
/// The sink as a child process, as it is deployed: <c>dotnet KafkaCdc.SinkConnector.dll [run|check] --config FILE</c>
/// from the test output directory (the test project references the sink), through the <c>dotnet</c> host running the tests.
/// </summary>
internal sealed class SinkProcess : IAsyncDisposable
{
    const int SigKill = 9;
    const int SigTerm = 15;

    readonly Process _process;
    readonly StringBuilder _output = new();
    readonly string _configPath;

    SinkProcess(Process process, string configPath, int? restPort)
    {
        _process = process;
        _configPath = configPath;
        RestPort = restPort;
    }

    /// <summary>The REST port, when one was configured.</summary>
    public int? RestPort { get; }

    /// <summary>The process id.</summary>
    public int Pid => _process.Id;

    /// <summary>Everything it printed (stdout and stderr).</summary>
    public string Output
    {
        get
        {
            lock (_output) return _output.ToString();
        }
    }

    /// <summary>Writes <paramref name="config"/> to a file and starts the sink with it.</summary>
    public static SinkProcess Start(IReadOnlyDictionary<string, string> config, string command = "run")
    {
        var configPath = Path.Combine(Path.GetTempPath(), $"kafkacdc-sink-{Guid.NewGuid():N}.json");
        File.WriteAllText(configPath, JsonSerializer.Serialize(config));
        var dll = Path.Combine(AppContext.BaseDirectory, "KafkaCdc.SinkConnector.dll");
        var start = new ProcessStartInfo(DotnetHost()) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add(command);
        start.ArgumentList.Add("--config");
        start.ArgumentList.Add(configPath);
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("KCDC_", StringComparison.Ordinal)).ToList()) start.Environment.Remove(name);
        var process = new Process { StartInfo = start };
        var sink = new SinkProcess(process, configPath, config.TryGetValue("rest.port", out var port) && port != "0" ? int.Parse(port) : null);
        process.OutputDataReceived += (_, e) => sink.Append(e.Data);
        process.ErrorDataReceived += (_, e) => sink.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return sink;
    }

    /// <summary>A free TCP port for <c>rest.port</c>.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Waits for the process to exit by itself; returns the exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"the sink process did not exit within {timeout.TotalSeconds:0}s; its output:\n{Output}");
        }
        return _process.ExitCode;
    }

    /// <summary>Sends SIGTERM and waits for the exit code.</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        _ = kill(_process.Id, SigTerm);
        return await WaitForExitAsync(timeout);
    }

    /// <summary>Kills the process with SIGKILL, no chance to clean up.</summary>
    public async Task KillAsync()
    {
        _ = kill(_process.Id, SigKill);
        await _process.WaitForExitAsync();
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

    /// <summary>The partitions the process's tasks hold, from <c>/status</c>.</summary>
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
        if (!_process.HasExited) await KillAsync();
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
