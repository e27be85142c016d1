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
        var start = new ProcessStartInfo(Repository.File("scripts/run.sh"), ["--check", "--no-build"])
        {
            WorkingDirectory = Repository.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // Its own dev stack and PostgreSQL: the run's services stay out of it.
        foreach (var name in new[] { "KAFKA_BOOTSTRAP_SERVERS", "SCHEMA_REGISTRY_URL", "KCDC_TEST_PG", "PGHOST", "PGPORT", "PGUSER", "PGPASSWORD", "PGDATABASE" })
            start.Environment.Remove(name);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"scripts/run.sh --check did not finish within 3 minutes:\n{await output}\n{await error}");
        }

        Assert.That(process.ExitCode, Is.Zero, $"{await output}\n{await error}");
        Assert.That(await output, Does.Contain("a change made in shop reached analytics through Kafka"));
    }
}
