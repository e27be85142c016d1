using System.Diagnostics;
using System.Text.Json.Nodes;

namespace KafkaCdc.Tests.Shared.AvroFormat;

/// <summary>
/// Runs <c>avro_interop.py</c> with an interpreter that can import Apache Avro's Python implementation (Debian's
/// python3-avro, installed by scripts/bootstrap.sh). The first <c>python3</c> on PATH may be a pyenv build without
/// it, so the candidates are tried in turn.
/// </summary>
internal static class PythonAvro
{
    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan s_probeDeadline = TimeSpan.FromSeconds(20);
    private static readonly Lazy<string?> s_interpreter = new(FindInterpreter);

    private static string Script => Path.Combine(AppContext.BaseDirectory, "Shared", "AvroFormat", "avro_interop.py");

    /// <summary>Sends <paramref name="request"/> to the script and returns its response; fails the test on error or timeout.</summary>
    public static JsonNode Run(JsonObject request)
    {
        var python = s_interpreter.Value;
        if (python is null)
        {
            Assert.Fail("No Python interpreter can 'import avro' (tried $KCDC_PYTHON, /usr/bin/python3, python3 on PATH). " +
                        "Run scripts/bootstrap.sh, which installs Debian's python3-avro.");
        }

        var (exitCode, stdout, stderr) = Execute(python!, [Script], request.ToJsonString(), s_deadline, out var timedOut);
        if (timedOut)
        {
            Assert.Fail($"avro_interop.py ({request["command"]}) did not finish within {s_deadline.TotalSeconds:0} s and was killed. stderr:\n{stderr}");
        }

        if (exitCode != 0)
        {
            Assert.Fail($"avro_interop.py ({request["command"]}) exited with {exitCode}. stderr:\n{stderr}");
        }

        return JsonNode.Parse(stdout) ?? throw new InvalidOperationException("avro_interop.py printed JSON null");
    }

    private static string? FindInterpreter()
    {
        var candidates = new[] { Environment.GetEnvironmentVariable("KCDC_PYTHON"), "/usr/bin/python3", "python3" };
        foreach (var candidate in candidates.Where(c => !string.IsNullOrEmpty(c)))
        {
            try
            {
                var (exitCode, _, _) = Execute(candidate!, ["-c", "import avro.schema, avro.io"], "", s_probeDeadline, out var timedOut);
                if (!timedOut && exitCode == 0)
                {
                    return candidate;
                }
            }
            catch (System.ComponentModel.Win32Exception)
            {
                // Not installed under that name; try the next.
            }
        }

        return null;
    }

    private static (int ExitCode, string Stdout, string Stderr) Execute(
        string fileName, string[] arguments, string stdin, TimeSpan deadline, out bool timedOut)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {fileName}");
        // Read both pipes while writing, so that neither side blocks on a full pipe.
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardInput.Write(stdin);
        process.StandardInput.Close();

        timedOut = !process.WaitForExit(deadline);
        if (timedOut)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }

        return (process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
    }
}
