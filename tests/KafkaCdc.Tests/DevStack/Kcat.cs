using System.Diagnostics;

namespace KafkaCdc.Tests.DevStack;

/// <summary>Runs the kcat command-line client (installed by scripts/bootstrap.sh) as a child process.</summary>
internal static class Kcat
{
    /// <summary>Runs kcat with <paramref name="arguments"/>, feeding <paramref name="input"/> on stdin.</summary>
    /// <returns>Its standard output; fails the test if it exits non-zero or runs longer than <paramref name="timeout"/>.</returns>
    internal static async Task<string> RunAsync(IEnumerable<string> arguments, string? input, TimeSpan timeout)
    {
        var start = new ProcessStartInfo("kcat")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start kcat");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (input is not null) await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();

        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"timed out after {timeout.TotalSeconds:0}s waiting for kcat {string.Join(' ', start.ArgumentList)} to exit; stderr: {await stderr}");
        }
        Assert.That(process.ExitCode, Is.Zero, $"kcat {string.Join(' ', start.ArgumentList)} failed: {await stderr}");
        return await stdout;
    }
}
