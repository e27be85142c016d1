using KafkaCdc.Shared.Configuration;
using KafkaCdc.Shared.Hosting;
using KafkaCdc.SourceConnector.Check;
using KafkaCdc.SourceConnector.Checkpointing;
using KafkaCdc.SourceConnector.Configuration;
using KafkaCdc.SourceConnector.Snapshots;

namespace KafkaCdc.SourceConnector;

/// <summary>The command line: <c>run</c> (default), <c>check</c> and <c>reset-offsets</c>, each with <c>--config FILE</c>.</summary>
internal static class SourceProgram
{
    const string ProgramName = "KafkaCdc.SourceConnector";

    static readonly Dictionary<string, string> s_extraCommands = new()
    {
        ["reset-offsets"] = "replace the stored offset of this connector with none, accepting a gap (see README); the next start begins at the slot's position",
        ["signal"] = "send a signal to the running connector (POST /signals on rest.port): signal TYPE [TABLE ... | DATA-JSON], e.g. signal execute-snapshot public.orders",
    };

    /// <summary>The runtime's switch for running socket completions on the socket engine's thread (read once, at the first socket operation).</summary>
    internal const string InlineCompletionsVariable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>
    /// Has .NET run the continuation of each socket read on the socket engine's thread instead of queueing it to the
    /// thread pool, unless the environment says otherwise; must run before the first socket is used. A stream of small
    /// transactions arrives as three pgoutput messages each, and the thread-pool hand-off per message was most of the
    /// reader's CPU: measured with bench/SourceBench, 100,000 single-row transactions went from 29-32 to 16-17 µs of
    /// connector CPU per change (27-28k to 33-37k changes/s). Safe here because nothing in this process blocks in a
    /// socket continuation: the publisher (which waits for the registry and librdkafka) has a thread of its own, and
    /// every other wait on the network is awaited. One wait is not: disposing what an Npgsql cancellation in flight is
    /// registered with waits for Npgsql's cancel request, which reads the server's answer through a socket engine; so
    /// the reader moves to the thread pool before it disposes anything (ChangeStreamReader.RunAsync), or the source hung
    /// when that engine was the one it ran on.
    /// </summary>
    public static void RunSocketCompletionsInline()
    {
        if (Environment.GetEnvironmentVariable(InlineCompletionsVariable) is null) Environment.SetEnvironmentVariable(InlineCompletionsVariable, "1");
    }

    /// <summary>Runs the command of <paramref name="args"/>; returns the process exit code.</summary>
    public static async Task<int> MainAsync(string[] args)
    {
        var commandLine = ConnectorCommandLine.Parse(args, ProgramName, Console.Error, s_extraCommands);
        if (commandLine is null) return ConnectorCommandLine.ConfigErrorExitCode;
        if (commandLine.Command != "signal" && commandLine.Arguments is [var unexpected, ..])
        {
            await Console.Error.WriteLineAsync($"{ProgramName}: unexpected argument '{unexpected}'");
            return ConnectorCommandLine.ConfigErrorExitCode;
        }
        if (!ConnectorCommandLine.LoadKafkaLibrary(ProgramName, Console.Error)) return ConnectorCommandLine.FailedExitCode;

        SourceOptions options;
        try
        {
            var raw = commandLine.ConfigPath is null ? RawConfig.FromPairs([]) : RawConfig.Load(commandLine.ConfigPath);
            options = SourceOptions.Read(new ConfigReader(raw));
        }
        catch (ConfigException e)
        {
            await Console.Error.WriteLineAsync($"{ProgramName}: {e.Message}");
            return ConnectorCommandLine.ConfigErrorExitCode;
        }

        using var loggerFactory = ConnectorLogging.Create(options.LogLevel);
        using var signal = new ShutdownSignal();
        return commandLine.Command switch
        {
            "check" => await PrerequisiteCheck.RunAsync(options, Console.Out, signal.Token),
            "reset-offsets" => await OffsetReset.RunAsync(options, loggerFactory, Console.Out, signal.Token),
            "signal" => await SignalCommand.RunAsync(options, commandLine.Arguments ?? [], Console.Out, Console.Error, signal.Token),
            _ => await SourceConnectorHost.RunAsync(options, loggerFactory, signal.Token),
        };
    }
}
