using Npgsql;

namespace KafkaCdc.Demo;

/// <summary>What <c>scripts/run.sh</c> tells the demo: where the connectors' REST endpoints and both databases are.</summary>
/// <param name="SourceUrl">The source connector's REST base URL (<c>/status</c>).</param>
/// <param name="SinkUrls">Each sink process's REST base URL, in process order.</param>
/// <param name="SourceDb">An Npgsql connection string of the source database (superuser: the workload writes there).</param>
/// <param name="DestinationDb">An Npgsql connection string of the destination database.</param>
/// <param name="DestinationSchema">The sink's schema at the destination.</param>
/// <param name="TopicPrefix">What the source puts before a table's name in its topic, and so the sink in its table.</param>
/// <param name="Workload">Whether to run the live workload.</param>
/// <param name="InsertMode">The sink appends (<c>insert.mode=insert</c>): the workload then never updates.</param>
/// <param name="Logs">The folder of the connectors' logs, shown in the view.</param>
internal sealed record DemoOptions(string SourceUrl, IReadOnlyList<string> SinkUrls, string SourceDb, string DestinationDb,
    string DestinationSchema, string TopicPrefix, bool Workload, bool InsertMode, string Logs)
{
    /// <summary>The usage line.</summary>
    public const string Usage =
        "usage: KafkaCdc.Demo --source-url URL --sink-url URL [--sink-url URL...] --source-db CONNSTR --destination-db CONNSTR " +
        "[--destination-schema kafkacdc] [--topic-prefix shop_] [--no-workload] [--insert-mode] [--logs DIR]\n" +
        "The connection strings take their password from PGPASSWORD when they have none.";

    /// <summary>Reads the command line; throws <see cref="ArgumentException"/> naming the option at fault.</summary>
    public static DemoOptions Parse(IReadOnlyList<string> args)
    {
        string? source = null, sourceDb = null, destinationDb = null;
        string schema = "kafkacdc", prefix = "shop_", logs = ".local/run";
        var sinks = new List<string>();
        bool workload = true, insertMode = false;
        for (var i = 0; i < args.Count; i++)
        {
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--source-url": source = Value(); break;
                case "--sink-url": sinks.Add(Value()); break;
                case "--source-db": sourceDb = Value(); break;
                case "--destination-db": destinationDb = Value(); break;
                case "--destination-schema": schema = Value(); break;
                case "--topic-prefix": prefix = Value(); break;
                case "--logs": logs = Value(); break;
                case "--no-workload": workload = false; break;
                case "--insert-mode": insertMode = true; break;
                default: throw new ArgumentException($"unknown option {args[i]}");
            }
        }
        if (source is null) throw new ArgumentException("--source-url is required");
        if (sinks.Count == 0) throw new ArgumentException("--sink-url is required (once per sink process)");
        if (sourceDb is null) throw new ArgumentException("--source-db is required");
        if (destinationDb is null) throw new ArgumentException("--destination-db is required");
        return new DemoOptions(source, sinks, WithPassword(sourceDb), WithPassword(destinationDb), schema, prefix, workload, insertMode, logs);
    }

    /// <summary>The password from <c>PGPASSWORD</c> (so it stays off the command line), unless the string has one.</summary>
    static string WithPassword(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (builder.Password is null && Environment.GetEnvironmentVariable("PGPASSWORD") is { Length: > 0 } password)
            builder.Password = password;
        return builder.ConnectionString;
    }
}
