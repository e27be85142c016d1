using System.Globalization;

namespace KafkaCdc.DevStack;

/// <summary>The dev stack's command line.</summary>
/// <param name="EnvFile">Where to write the <c>KEY=VALUE</c> lines, or null for stdout only.</param>
/// <param name="Brokers">The number of mock Kafka brokers.</param>
/// <param name="Postgres">Whether to start a throwaway PostgreSQL.</param>
/// <param name="ParentPid">A process whose exit stops the dev stack, or null.</param>
/// <param name="AdminPort">The admin endpoint's port on 127.0.0.1; 0 for a free one.</param>
/// <param name="RegistryPort">The schema registry's port on 127.0.0.1; 0 for a free one.</param>
public sealed record DevStackOptions(string? EnvFile, int Brokers, bool Postgres, int? ParentPid, int AdminPort, int RegistryPort = 0)
{
    /// <summary>The command line help.</summary>
    public const string Usage =
        """
        Usage: KafkaCdc.DevStack [--env-file PATH] [--brokers N] [--postgres] [--parent-pid PID] [--admin-port N]
                                 [--registry-port N]
               KafkaCdc.DevStack --probe

        Runs a local Kafka (librdkafka's in-memory mock cluster), a schema registry (Confluent's REST API,
        in memory), optionally a throwaway PostgreSQL, and an HTTP admin endpoint for fault injection, until SIGINT/SIGTERM or until the --parent-pid process exits.
        Prints the endpoints as KEY=VALUE lines and writes them to the --env-file (atomically).

          --env-file PATH   also write the KEY=VALUE lines to PATH
          --brokers N       number of Kafka brokers (default 3)
          --postgres        start a throwaway PostgreSQL (adds KCDC_TEST_PG and PGHOST/PGPORT/... lines)
          --parent-pid PID  stop when process PID exits (so a crashed test run leaks no servers)
          --admin-port N    admin endpoint port on 127.0.0.1 (default: a free port)
          --registry-port N schema registry port on 127.0.0.1 (default: a free port)
          --probe           only prove that librdkafka loads and works here (a one-broker mock cluster and a
                            record produced and consumed through it), print where it came from, and exit
        """;

    /// <summary>Parses the command line.</summary>
    /// <exception cref="FormatException">An unknown option or a bad value; the message names the option.</exception>
    public static DevStackOptions Parse(IReadOnlyList<string> args)
    {
        var options = new DevStackOptions(null, 3, false, null, 0);
        for (var i = 0; i < args.Count; i++)
        {
            var option = args[i];
            options = option switch
            {
                "--env-file" => options with { EnvFile = Value(args, ref i) },
                "--brokers" => options with { Brokers = Number(args, ref i, min: 1, max: 64) },
                "--postgres" => options with { Postgres = true },
                "--parent-pid" => options with { ParentPid = Number(args, ref i, min: 1, max: int.MaxValue) },
                "--admin-port" => options with { AdminPort = Number(args, ref i, min: 0, max: 65535) },
                "--registry-port" => options with { RegistryPort = Number(args, ref i, min: 0, max: 65535) },
                _ => throw new FormatException($"unknown option {option}"),
            };
        }
        return options;
    }

    static string Value(IReadOnlyList<string> args, ref int i)
    {
        var option = args[i];
        if (++i >= args.Count || args[i].StartsWith("--", StringComparison.Ordinal))
            throw new FormatException($"{option} needs a value");
        return args[i];
    }

    static int Number(IReadOnlyList<string> args, ref int i, int min, int max)
    {
        var option = args[i];
        var text = Value(args, ref i);
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < min || number > max)
            throw new FormatException($"{option} must be a whole number from {min} to {max}, not '{text}'");
        return number;
    }
}
