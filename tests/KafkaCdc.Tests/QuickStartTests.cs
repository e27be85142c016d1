using System.Diagnostics;

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

    static async Task<(int ExitCode, string Output, string Error)> RunCheckAsync(
        IEnumerable<KeyValuePair<string, string>> environment, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(Repository.File("scripts/run.sh"), ["--check", "--no-build"])
        {
            WorkingDirectory = Repository.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // Its own dev stack and PostgreSQL: the run's services stay out of it.
        foreach (var name in new[] { "KAFKA_BOOTSTRAP_SERVERS", "SCHEMA_REGISTRY_URL", "KCDC_TEST_PG", "PGHOST", "PGPORT", "PGUSER", "PGPASSWORD", "PGDATABASE" })
            start.Environment.Remove(name);
        foreach (var (name, value) in environment) start.Environment[name] = value;
        using var process = Process.Start(start)!;
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
}
