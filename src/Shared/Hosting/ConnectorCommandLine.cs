using KafkaCdc.Shared.Kafka;

namespace KafkaCdc.Shared.Hosting;

/// <summary>
/// The connectors' command line: <c>[run|check] --config FILE</c>. <c>run</c> (the default) streams until
/// stopped; <c>check</c> verifies every prerequisite and prints one pass/fail line per item.
/// </summary>
/// <param name="Command">"run" or "check".</param>
/// <param name="ConfigPath">The JSON config file; null when the configuration comes from the environment only.</param>
/// <param name="Arguments">The words after a connector's own sub-command (not <c>run</c> or <c>check</c>), e.g. a signal's type and tables.</param>
public sealed record ConnectorCommandLine(string Command, string? ConfigPath, IReadOnlyList<string>? Arguments = null)
{
    /// <summary>Process exit code for a configuration error.</summary>
    public const int ConfigErrorExitCode = 2;

    /// <summary>Process exit code for a failed <c>check</c>.</summary>
    public const int CheckFailedExitCode = 3;

    /// <summary>Process exit code when the process cannot run at all here (librdkafka does not load).</summary>
    public const int FailedExitCode = 1;

    /// <summary>
    /// Loads librdkafka before anything uses Kafka, so that a machine where it cannot load is told at once which files
    /// were tried and why (<see cref="LibrdkafkaLibrary"/>); returns false after writing that to <paramref name="error"/>.
    /// </summary>
    public static bool LoadKafkaLibrary(string program, TextWriter error)
    {
        try
        {
            LibrdkafkaLibrary.Load();
            return true;
        }
        catch (DllNotFoundException e)
        {
            error.WriteLine($"{program}: {e.Message}");
            return false;
        }
    }

    /// <summary>Parses <paramref name="args"/>; returns null and writes usage to <paramref name="error"/> when they are wrong.</summary>
    public static ConnectorCommandLine? Parse(string[] args, string program, TextWriter error) => Parse(args, program, error, null);

    /// <summary>
    /// Parses <paramref name="args"/>, also accepting the connector's own sub-commands <paramref name="extraCommands"/>
    /// (name and one-line description, shown in the usage); returns null and writes usage to <paramref name="error"/>
    /// when they are wrong.
    /// </summary>
    public static ConnectorCommandLine? Parse(string[] args, string program, TextWriter error, IReadOnlyDictionary<string, string>? extraCommands)
    {
        string command = "run";
        string? config = null;
        var arguments = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (i == 0 && (arg is "run" or "check" || extraCommands?.ContainsKey(arg) == true)) command = arg;
            else if (arg == "--config" && i + 1 < args.Length) config = args[++i];
            else if (arg.StartsWith("--config=", StringComparison.Ordinal)) config = arg["--config=".Length..];
            else if (i > 0 && command is not ("run" or "check") && !arg.StartsWith("--", StringComparison.Ordinal)) arguments.Add(arg);
            else if (arg is "-h" or "--help")
            {
                error.WriteLine(Usage(program, extraCommands));
                return null;
            }
            else
            {
                error.WriteLine($"{program}: unexpected argument '{arg}'");
                error.WriteLine(Usage(program, extraCommands));
                return null;
            }
        }
        return new ConnectorCommandLine(command, config, arguments.Count == 0 ? null : arguments);
    }

    static string Usage(string program, IReadOnlyDictionary<string, string>? extraCommands)
    {
        var names = string.Join("|", new[] { "run", "check" }.Concat(extraCommands?.Keys ?? []));
        var extra = string.Concat((extraCommands ?? new Dictionary<string, string>()).Select(c => $"\n  {c.Key,-7} {c.Value}"));
        return $"""
            usage: {program} [{names}] --config FILE
              run     stream until SIGTERM/SIGINT (default)
              check   verify every prerequisite, print one pass/fail line each, exit 0 when all pass{extra}
            Every config key can also be set as an environment variable KCDC_<KEY> (upper case, dots as underscores).
            """;
    }
}
