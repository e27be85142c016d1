using KafkaCdc.Shared.Configuration;
using KafkaCdc.Shared.Hosting;
using KafkaCdc.SinkConnector.Configuration;
using KafkaCdc.SinkConnector.Hosting;

namespace KafkaCdc.SinkConnector;

/// <summary>The command line: <c>[run|check] --config FILE</c>; exit codes 0 (done), 1 (failed), 2 (configuration), 3 (check failed).</summary>
public static class SinkProgram
{
    /// <summary>Runs the sink (or its check) as the process does.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var commandLine = ConnectorCommandLine.Parse(args, "kafkacdc-sink", error);
        if (commandLine is null) return ConnectorCommandLine.ConfigErrorExitCode;
        if (!ConnectorCommandLine.LoadKafkaLibrary("kafkacdc-sink", error)) return ConnectorCommandLine.FailedExitCode;

        SinkOptions options;
        try
        {
            var raw = commandLine.ConfigPath is null ? RawConfig.FromPairs([]) : RawConfig.Load(commandLine.ConfigPath);
            options = SinkOptions.Read(new ConfigReader(raw));
        }
        catch (ConfigException e)
        {
            await error.WriteLineAsync(e.Message);
            return ConnectorCommandLine.ConfigErrorExitCode;
        }

        using var loggerFactory = ConnectorLogging.Create(options.LogLevel);
        if (commandLine.Command == "check")
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            return await SinkCheck.RunAsync(options, output, loggerFactory, timeout.Token) ? 0 : ConnectorCommandLine.CheckFailedExitCode;
        }

        using var signal = new ShutdownSignal();
        return await new SinkWorker(options, loggerFactory).RunAsync(signal.Token);
    }
}
