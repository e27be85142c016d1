using System.Runtime.InteropServices;

namespace KafkaCdc.DevStack;

/// <summary>
/// Running the project's built programs (<c>dotnet X.dll</c>) as child processes, as tests and benchmarks do: which
/// <c>dotnet</c> host to start them with, and POSIX signals to stop them the way an operator would.
/// </summary>
public static class ChildProcesses
{
    /// <summary>SIGKILL: no chance to clean up.</summary>
    public const int SigKill = 9;

    /// <summary>SIGTERM: a clean shutdown.</summary>
    public const int SigTerm = 15;

    /// <summary>The <c>dotnet</c> host running this process (or the SDK's, under <c>dotnet test</c>), else <c>dotnet</c> from the PATH.</summary>
    public static string DotnetHost()
    {
        var hostPath = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(hostPath) && File.Exists(hostPath)) return hostPath;
        var processPath = Environment.ProcessPath;
        return processPath is not null && Path.GetFileNameWithoutExtension(processPath) == "dotnet" ? processPath : "dotnet";
    }

    /// <summary>Sends <paramref name="signal"/> to process <paramref name="pid"/> (best effort: it may have exited).</summary>
    public static void Signal(int pid, int signal) => _ = kill(pid, signal);

    [DllImport("libc", SetLastError = true)]
    static extern int kill(int pid, int signal);
}
