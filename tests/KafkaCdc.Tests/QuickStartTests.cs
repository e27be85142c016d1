using System.Collections.Concurrent;
using System.Diagnostics;
using KafkaCdc.DevStack;

namespace KafkaCdc.Tests;

/// <summary>
/// The README's Quick start stays true: its main-job command brings up the whole pipeline on the embedded default
/// and a change made in the source database reaches the destination.
/// </summary>
public class QuickStartTests
{
    [Test]
    public async Task RunScript_Check_ChangeReachesTheDestinationAndEverythingStops()
    {
        var (exitCode, output, error) = await RunCheckAsync([], TimeSpan.FromMinutes(3));

        Assert.That(exitCode, Is.Zero, $"{output}\n{error}");
        Assert.That(output, Does.Contain("a change made in shop reached analytics through Kafka"));
    }

    [Test]
    public async Task RunScript_ConnectorDiesAtStart_StopsAtOnceWithItsLog()
    {
        // A configuration error makes the source exit with code 2 right after it starts: run.sh must say so then, not
        // wait out its 90 s for a change that cannot come.
        var (exitCode, output, error) = await RunCheckAsync([new("KCDC_DATABASE_SSLMODE", "bogus")], TimeSpan.FromSeconds(80));

        Assert.That(exitCode, Is.Not.Zero, $"{output}\n{error}");
        Assert.That(error, Does.Contain("the source connector exited (code 2)").And.Contain("database.sslmode: 'bogus'"));
        Assert.That(error, Does.Not.Contain("timed out"));
    }

    [Test]
    public async Task RunScript_LiveWithoutTerminal_LogsLinesAndStopsOnSigtermWithAPassingVerdict()
    {
        // The demo as a user runs it, stdout not a terminal: plain lines while the workload runs, then SIGTERM (what
        // Ctrl-C becomes) stops the workload, waits for the catch-up and compares every table on content.
        var start = StartInfo([], [new("KCDC_DEMO_SOURCE_REST_PORT", LocalPorts.Free().ToString()), new("KCDC_DEMO_SINK_REST_PORT", LocalPorts.Free().ToString()),
            new("KCDC_DEMO_SMALL", "1")]);
        using var process = Process.Start(start)!;
        var lines = new ConcurrentQueue<string>();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lines.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lines.Enqueue("stderr: " + e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            // The snapshot is in and the workload's changes flow: a line with the workload running and rows arriving.
            await Poll.UntilAsync(() => process.HasExited || lines.Any(l =>
                l.Contains("snapshot done (82,000 rows)") && l.Contains("workload running") && !l.Contains("end-to-end lag —")),
                TimeSpan.FromMinutes(4), () => "a log line with the snapshot done and the workload's changes arriving; output:\n" + string.Join("\n", lines));
            Assert.That(process.HasExited, Is.False, string.Join("\n", lines));
            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString()])) await kill.WaitForExitAsync();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(4));
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
        var output = string.Join("\n", lines);

        Assert.That(process.ExitCode, Is.Zero, output);
        Assert.That(output, Does.Contain("The pipeline has caught up."));
        Assert.That(output, Does.Match(@"customers +EQUAL").And.Match(@"orders +EQUAL").And.Match(@"events +EQUAL").And.Match(@"products +EQUAL"));
        Assert.That(output, Does.Match(@"PASS: all 4 tables equal at source and destination \([0-9,]+ rows checked\)"));
    }

    static async Task<(int ExitCode, string Output, string Error)> RunCheckAsync(
        IEnumerable<KeyValuePair<string, string>> environment, TimeSpan timeout)
    {
        using var process = Process.Start(StartInfo(["--check"], environment))!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"scripts/run.sh --check did not finish within {timeout.TotalSeconds:0} s:\n{await output}\n{await error}");
        }
        return (process.ExitCode, await output, await error);
    }

    static ProcessStartInfo StartInfo(string[] options, IEnumerable<KeyValuePair<string, string>> environment)
    {
        var start = new ProcessStartInfo(Repository.File("scripts/run.sh"), [.. options, "--no-build"])
        {
            WorkingDirectory = Repository.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // Its own dev stack and PostgreSQL: the run's services stay out of it.
        foreach (var name in new[] { "KAFKA_BOOTSTRAP_SERVERS", "SCHEMA_REGISTRY_URL", "KCDC_TEST_PG", "PGHOST", "PGPORT", "PGUSER", "PGPASSWORD", "PGDATABASE" })
            start.Environment.Remove(name);
        foreach (var (name, value) in environment) start.Environment[name] = value;
        return start;
    }
}
