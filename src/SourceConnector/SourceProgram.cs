using KafkaCdc.Shared.Configuration;
using KafkaCdc.Shared.Hosting;
using KafkaCdc.SourceConnector.Check;
using KafkaCdc.SourceConnector.Checkpointing;
using KafkaCdc.SourceConnector.Configuration;

namespace KafkaCdc.SourceConnector;

/// <summary>The command line: <c>run</c> (default), <c>check</c> and <c>reset-offsets</c>, each with <c>--config FILE</c>.</summary>
internal static class SourceProgram
{
    const string ProgramName = "KafkaCdc.SourceConnector";

    static readonly Dictionary<string, string> s_extraCommands = new()
    {
        ["reset-offsets"] = "replace the stored offset of this connector with none, accepting a gap (see README); the next start begins at the slot's position",
    };

    /// <summary>Runs the command of <paramref name="args"/>; returns the process exit code.</summary>
    public static async Task<int> MainAsync(string[] args)
    {
        var commandLine = ConnectorCommandLine.Parse(args, ProgramName, Console.Error, s_extraCommands);
        if (commandLine is null) return ConnectorCommandLine.ConfigErrorExitCode;

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
            _ => await SourceConnectorHost.RunAsync(options, loggerFactory, signal.Token),
        };
    }
}
