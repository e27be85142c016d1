using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using KafkaCdc.DevStack;

namespace KafkaCdc.Bench.Common;

/// <summary>
/// A connector (source or sink) running as a child process from this program's output directory, configured by a
/// JSON file (<c>--config</c>), with its REST port for <c>/status</c>. Its output is kept (the last lines, shown when
/// something fails) and its warnings and errors are echoed to stderr. Disposing kills it and deletes the file.
/// </summary>
public sealed class ConnectorProcess : IDisposable
{
    const int KeptLines = 200;
    readonly Process _process;
    readonly string _configPath;
    readonly HttpClient _http;
    readonly Queue<string> _output = new();
    bool _disposed;

    ConnectorProcess(string label, string dll, IReadOnlyDictionary<string, string> config)
    {
        Label = label;
        var port = LocalPorts.Free();
        _configPath = Path.Combine(Path.GetTempPath(), $"kafkacdc-bench-{label}-{Guid.NewGuid():N}.json");
        File.WriteAllText(_configPath, JsonSerializer.Serialize(new Dictionary<string, string>(config)
        {
            ["rest.port"] = port.ToString(CultureInfo.InvariantCulture),
        }));
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(5) };
        var start = new ProcessStartInfo(ChildProcesses.DotnetHost()) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, dll), "--config", _configPath }) start.ArgumentList.Add(argument);
        _process = Process.Start(start) ?? throw new InvalidOperationException($"{label}: {dll} did not start");
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        Threads = new ThreadCpuSampler(_process.Id);
    }

    /// <summary>The name this benchmark gives the process in its messages.</summary>
    public string Label { get; }

    /// <summary>The CPU time of its threads, sampled while it runs.</summary>
    public ThreadCpuSampler Threads { get; }

    /// <summary>The process id (for /proc).</summary>
    public int Id => _process.Id;

    /// <summary>Starts <c>KafkaCdc.SourceConnector.dll</c> with <paramref name="config"/> (the REST port is added).</summary>
    public static ConnectorProcess StartSource(string label, IReadOnlyDictionary<string, string> config) => new(label, "KafkaCdc.SourceConnector.dll", config);

    /// <summary>Starts <c>KafkaCdc.SinkConnector.dll</c> with <paramref name="config"/> (the REST port is added).</summary>
    public static ConnectorProcess StartSink(string label, IReadOnlyDictionary<string, string> config) => new(label, "KafkaCdc.SinkConnector.dll", config);

    /// <summary>Throws when the process has exited, with the end of its output.</summary>
    public void ThrowIfExited()
    {
        if (_process.HasExited) throw new InvalidOperationException($"{Label} exited with code {_process.ExitCode}; its last output:\n{Output()}");
    }

    /// <summary>The <c>/status</c> document, or null while the REST port does not answer yet.</summary>
    public async Task<JsonDocument?> StatusAsync()
    {
        try
        {
            return JsonDocument.Parse(await _http.GetStringAsync("status"));
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    /// <summary>Polls <c>/status</c> until <paramref name="condition"/> holds, failing early when the process exits.</summary>
    public Task WaitForStatusAsync(Func<JsonElement, bool> condition, TimeSpan timeout, string what, TimeSpan? interval = null) =>
        Poll.UntilAsync(async () =>
        {
            using var status = await StatusAsync();
            return status is not null && condition(status.RootElement);
        }, timeout, $"{Label}: {what}", interval, ThrowIfExited);

    /// <summary>
    /// For a sink: waits until its <paramref name="tasks"/> tasks each hold partitions and together all
    /// <paramref name="partitions"/> of <paramref name="topic"/>, so that nothing is consumed before the group is formed.
    /// </summary>
    public Task WaitForAssignmentAsync(string topic, int tasks, int partitions) =>
        WaitForStatusAsync(s => s.GetProperty("tasks").EnumerateArray().Count(t => t.GetProperty("partitions").GetArrayLength() > 0) == tasks
                                && s.GetProperty("tasks").EnumerateArray().Sum(t => t.GetProperty("partitions").GetArrayLength()) == partitions,
            TimeSpan.FromSeconds(90), $"all {partitions} partitions of {topic} assigned to the {tasks} tasks");

    /// <summary>The last lines the process wrote.</summary>
    public string Output()
    {
        lock (_output) return string.Join('\n', _output);
    }

    void Keep(string? line)
    {
        if (line is null) return;
        lock (_output)
        {
            _output.Enqueue(line);
            if (_output.Count > KeptLines) _output.Dequeue();
        }
        Console.Error.WriteLine($"  {Label}: {line}");
    }

    /// <summary>Kills the process (if it still runs) and deletes its configuration file; safe to call twice.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        Threads.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }
        _process.Dispose();
        _http.Dispose();
        File.Delete(_configPath);
    }
}
