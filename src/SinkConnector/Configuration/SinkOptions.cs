using System.Text.RegularExpressions;
using KafkaCdc.Shared.Configuration;
using KafkaCdc.Shared.Kafka;
using KafkaCdc.Shared.Postgres;
using KafkaCdc.Shared.Retrying;
using KafkaCdc.Shared.SchemaRegistry;
using Microsoft.Extensions.Logging;

namespace KafkaCdc.SinkConnector.Configuration;

/// <summary>
/// Every setting of the sink connector, read from the flat configuration by <see cref="Read"/>, which validates all
/// keys and reports every problem together (each naming its key) through <see cref="ConfigReader.ThrowIfProblems"/>.
/// </summary>
public sealed class SinkOptions
{
    /// <summary>The default <c>rest.port</c>: next to the source's 8083, so both can share a host.</summary>
    public const int DefaultRestPort = 8084;

    static readonly PgConnectionKeys s_connectionKeys = PgConnectionKeys.WithTlsPrefix(
        "connection.", "connection.hostname", "connection.port", "connection.username", "connection.password", "connection.database");

    /// <summary>The default <c>batch.linger.ms</c>.</summary>
    /// <remarks>
    /// Under load batches fill up to <c>batch.size</c> long before the linger ends, so it only matters for a
    /// trickle: 200 ms keeps a lone change's latency small next to the source's own, while still grouping a
    /// trickle of changes into a few transactions per second per partition instead of one per record.
    /// </remarks>
    public const int DefaultBatchLingerMs = 200;

    /// <summary><c>name</c>: the connector's name; with <c>group.id</c> unset, processes sharing it share the partitions.</summary>
    public required string Name { get; init; }

    /// <summary><c>topics</c>: the topics to read; empty when <see cref="TopicsRegex"/> is used.</summary>
    public required IReadOnlyList<string> Topics { get; init; }

    /// <summary><c>topics.regex</c>: a regular expression over topic names (librdkafka regex subscription), or null.</summary>
    public string? TopicsRegex { get; init; }

    /// <summary>The destination schema (<c>schema.name</c>), where tables and <c>kafkacdc_sink_offsets</c> live.</summary>
    public required string SchemaName { get; init; }

    /// <summary><c>insert.mode</c>.</summary>
    public InsertMode InsertMode { get; init; }

    /// <summary><c>delete.mode</c> (its alias <c>delete.enabled=false</c> is <see cref="DeleteMode.None"/>).</summary>
    public DeleteMode DeleteMode { get; init; }

    /// <summary>Whether <c>d</c> events are applied (<c>delete.enabled</c>): any <see cref="DeleteMode"/> but none.</summary>
    public bool DeleteEnabled => DeleteMode != DeleteMode.None;

    /// <summary><c>delete.soft.column</c> and <c>delete.soft.timestamp.column</c>: the soft-delete flag and time (<see cref="DeleteMode.Soft"/>).</summary>
    public (string Flag, string Time) SoftDeleteColumns { get; init; } = (DeleteModeSetting.DefaultColumn, DeleteModeSetting.DefaultTimestampColumn);

    /// <summary><c>truncate.enabled</c>: apply <c>t</c> events.</summary>
    public bool TruncateEnabled { get; init; } = true;

    /// <summary><c>schema.evolution</c>.</summary>
    public SchemaEvolutionMode SchemaEvolution { get; init; }

    /// <summary><c>primary.key.mode</c>.</summary>
    public PrimaryKeyMode PrimaryKeyMode { get; init; }

    /// <summary><c>primary.key.fields</c>: the key columns for <c>record_value</c>, a filter of the key's fields for <c>record_key</c>.</summary>
    public IReadOnlyList<string> PrimaryKeyFields { get; init; } = [];

    /// <summary><c>table.name.format</c>.</summary>
    public TableNameFormat TableNameFormat { get; init; } = TableNameFormat.Default;

    /// <summary><c>tasks.max</c>: consumers in this process, each on its own thread, all in the group.</summary>
    public int TasksMax { get; init; } = 1;

    /// <summary><c>batch.size</c>: records per partition batch (before reduction by key).</summary>
    public int BatchSize { get; init; } = 10_000;

    /// <summary><c>batch.linger.ms</c>: how long a partition batch waits for more records.</summary>
    public TimeSpan BatchLinger { get; init; } = TimeSpan.FromMilliseconds(DefaultBatchLingerMs);

    /// <summary><c>errors.tolerance</c>.</summary>
    public ErrorTolerance ErrorTolerance { get; init; }

    /// <summary><c>errors.offset.gap</c>: records deleted by the broker before the sink read them stop the table, or are skipped.</summary>
    public OffsetGapHandling OffsetGap { get; init; }

    /// <summary><c>errors.deadletterqueue.topic.name</c>, or null.</summary>
    public string? DeadLetterTopic { get; init; }

    /// <summary><c>errors.retry.delay.max.ms</c>: the cap of the backoff between retries of transient failures.</summary>
    public TimeSpan RetryDelayMax { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The waits between retries of transient failures: from 100 ms, doubling, up to <see cref="RetryDelayMax"/>.</summary>
    public Backoff RetryBackoff => new(TimeSpan.FromMilliseconds(100), RetryDelayMax);

    /// <summary>
    /// <c>task.shutdown.graceful.timeout.ms</c> (Kafka Connect's name): how long the tasks get, once asked to stop, to
    /// finish their batches in flight, commit and leave the group before the process exits anyway.
    /// </summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary><c>group.id</c>.</summary>
    public required string GroupId { get; init; }

    /// <summary><c>rest.port</c>; 0 disables the endpoint.</summary>
    public int RestPort { get; init; } = DefaultRestPort;

    /// <summary><c>log.level</c>.</summary>
    public LogLevel LogLevel { get; init; } = LogLevel.Information;

    /// <summary>
    /// The destination's connection settings (<c>connection.*</c> with TLS, and the SSH tunnel of <c>ssh.*</c>), which
    /// <see cref="ConnectionString"/> is built from; TLS diagnosis and <c>check</c> name their keys.
    /// </summary>
    public required PgConnectionSettings Connection { get; init; }

    /// <summary>
    /// The Npgsql connection string of the destination (<c>connection.*</c>); with an SSH tunnel, to its local port, so
    /// only once the tunnel is open (<see cref="PgConnectionSettings.EnsureReachableAsync"/>). It carries no session
    /// settings (no <c>options</c> startup parameter, which PgBouncer refuses) and prepares no statements: the sink sets
    /// what it needs in each transaction, so the connection may go through a transaction-mode pooler.
    /// </summary>
    public string ConnectionString
    {
        get
        {
            var builder = Connection.Builder($"kafkacdc-sink {Name}");
            // COPY streams megabytes per batch: fewer, larger socket writes than the default 8 KiB buffer.
            builder.WriteBufferSize = 64 * 1024;
            // Npgsql's default, stated: a prepared statement would not outlive the transaction behind a transaction-mode
            // pooler (PgBouncer before 1.21 does not track them).
            builder.MaxAutoPrepare = 0;
            return builder.ConnectionString;
        }
    }

    /// <summary>The destination for messages: <c>host:port/database</c> as user, never the password.</summary>
    public required string ConnectionDisplay { get; init; }

    /// <summary>The <c>kafka.*</c> settings.</summary>
    public required KafkaClientSettings Kafka { get; init; }

    /// <summary>The <c>schema.registry.*</c> settings.</summary>
    public required SchemaRegistryClientOptions SchemaRegistry { get; init; }

    /// <summary>The settings read, secrets shown as <c>****</c>, for the start-up log line.</summary>
    public IReadOnlyDictionary<string, string> Effective { get; init; } = new Dictionary<string, string>();

    /// <summary>The librdkafka properties of the consumers that the connector owns.</summary>
    public IReadOnlyDictionary<string, string> ConsumerOwnedProperties => new Dictionary<string, string>(KafkaOwnedProperties.ManualCommitConsumer)
    {
        ["group.id"] = GroupId,
    };

    /// <summary>Reads and validates every key; throws one <see cref="ConfigException"/> listing every problem.</summary>
    public static SinkOptions Read(ConfigReader config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var name = config.RequiredString("name");
        var topics = config.List("topics");
        var topicsRegex = config.String("topics.regex");
        if (topics.Count > 0 && topicsRegex is not null) config.Problem("topics", "set either topics or topics.regex, not both");
        if (topics.Count == 0 && topicsRegex is null) config.Problem("topics", "is required (a comma-separated list), unless topics.regex is set");
        if (topicsRegex is not null && CheckRegex(topicsRegex) is { } regexProblem) config.Problem("topics.regex", regexProblem);

        var connection = PgConnectionSettings.Read(config, s_connectionKeys);
        var schemaName = config.String("schema.name", "public")!;

        var insertMode = config.Enum("insert.mode", InsertMode.Upsert);
        var (deleteMode, softColumn, softTimeColumn) = DeleteModeSetting.Read(config);
        var truncateEnabled = config.Bool("truncate.enabled", true);
        var evolution = config.Enum("schema.evolution", SchemaEvolutionMode.Basic);
        var keyMode = config.Enum("primary.key.mode", PrimaryKeyMode.RecordKey);
        var keyFields = config.List("primary.key.fields");
        if (keyMode == PrimaryKeyMode.RecordValue && keyFields.Count == 0)
            config.Problem("primary.key.fields", "is required with primary.key.mode=record_value: the value fields that form the primary key");
        if (keyMode is PrimaryKeyMode.Kafka or PrimaryKeyMode.None && keyFields.Count > 0)
            config.Problem("primary.key.fields", $"is only used with primary.key.mode record_key or record_value, not {ConfigReader.SnakeCase(keyMode.ToString())}");
        if (keyFields.Distinct(StringComparer.Ordinal).Count() != keyFields.Count)
            config.Problem("primary.key.fields", "names a field twice");

        var format = TableNameFormat.Parse(config.String("table.name.format", "${topic}")!, out var formatProblem);
        if (formatProblem is not null) config.Problem("table.name.format", formatProblem);

        var tasks = config.Int("tasks.max", 1, 1, 256);
        var batchSize = config.Int("batch.size", 10_000, 1, 1_000_000);
        var linger = config.Int("batch.linger.ms", DefaultBatchLingerMs, 0, 600_000);
        var tolerance = config.Enum("errors.tolerance", ErrorTolerance.None);
        var offsetGap = config.Enum("errors.offset.gap", OffsetGapHandling.Stop);
        var deadLetterTopic = config.String("errors.deadletterqueue.topic.name");
        if (deadLetterTopic is not null)
        {
            if (tolerance == ErrorTolerance.None)
                config.Problem("errors.deadletterqueue.topic.name", "is only used with errors.tolerance=all");
            if (topics.Contains(deadLetterTopic) || (topicsRegex is not null && CheckRegex(topicsRegex) is null && Regex.IsMatch(deadLetterTopic, Anchored(topicsRegex))))
                config.Problem("errors.deadletterqueue.topic.name", $"'{deadLetterTopic}' is one of the topics the sink reads");
        }
        var retryDelayMax = config.Int("errors.retry.delay.max.ms", 60_000, 1, int.MaxValue);
        var shutdownTimeout = config.Int("task.shutdown.graceful.timeout.ms", 30_000, 1, int.MaxValue);
        var groupId = config.String("group.id") ?? $"kafkacdc-sink-{name}";
        var restPort = config.Int("rest.port", DefaultRestPort, 0, 65535);
        var logLevel = config.LogLevel("log.level");

        var kafkaValues = config.WithPrefix(KafkaClientSettings.KeyPrefix);
        var kafka = KafkaClientSettings.FromConnectorConfig(kafkaValues.Select(p => new KeyValuePair<string, string?>(KafkaClientSettings.KeyPrefix + p.Key, p.Value)));
        if (kafkaValues.ContainsKey("group.id"))
            config.Problem("kafka.group.id", "set the consumer group with group.id (default kafkacdc-sink-{name}) instead");
        var owned = new Dictionary<string, string>(KafkaOwnedProperties.ManualCommitConsumer);
        foreach (var (key, value) in KafkaOwnedProperties.IdempotentProducer) owned[key] = value;
        foreach (var problem in kafka.Validate(owned)) config.Problem(problem.Key, problem.Message);

        var registry = SchemaRegistryClientOptions.FromConfig(config);
        config.ThrowIfProblems();

        return new SinkOptions
        {
            Name = name,
            Topics = topics,
            TopicsRegex = topicsRegex,
            SchemaName = schemaName,
            InsertMode = insertMode,
            DeleteMode = deleteMode,
            SoftDeleteColumns = (softColumn, softTimeColumn),
            TruncateEnabled = truncateEnabled,
            SchemaEvolution = evolution,
            PrimaryKeyMode = keyMode,
            PrimaryKeyFields = keyFields,
            TableNameFormat = format!,
            TasksMax = tasks,
            BatchSize = batchSize,
            BatchLinger = TimeSpan.FromMilliseconds(linger),
            ErrorTolerance = tolerance,
            OffsetGap = offsetGap,
            DeadLetterTopic = deadLetterTopic,
            RetryDelayMax = TimeSpan.FromMilliseconds(retryDelayMax),
            ShutdownTimeout = TimeSpan.FromMilliseconds(shutdownTimeout),
            GroupId = groupId,
            RestPort = restPort,
            LogLevel = logLevel,
            Connection = connection,
            ConnectionDisplay = connection.Display,
            Kafka = kafka,
            SchemaRegistry = registry,
            Effective = config.Effective,
        };
    }

    /// <summary>The subscription pattern librdkafka takes: the regex anchored with <c>^</c> (which marks it as a regex).</summary>
    public static string Anchored(string regex) => regex.StartsWith('^') ? regex : "^" + regex;

    static string? CheckRegex(string regex)
    {
        try
        {
            _ = new Regex(regex);
            return null;
        }
        catch (ArgumentException e)
        {
            return $"'{regex}' is not a valid regular expression: {e.Message}";
        }
    }

}
