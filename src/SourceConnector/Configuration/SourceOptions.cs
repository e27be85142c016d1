using KafkaCdc.Shared.Configuration;
using KafkaCdc.Shared.Kafka;
using KafkaCdc.Shared.Postgres;
using KafkaCdc.Shared.SchemaRegistry;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace KafkaCdc.SourceConnector.Configuration;

/// <summary>
/// Every setting of the source connector, read from the flat configuration by <see cref="Read"/>, which
/// reports every problem at once (each naming its key). See the README's configuration reference.
/// </summary>
internal sealed class SourceOptions
{
    public const string NameKey = "name";
    public const string HostnameKey = "database.hostname";
    public const string PortKey = "database.port";
    public const string UserKey = "database.user";
    public const string PasswordKey = "database.password";
    public const string DatabaseKey = "database.dbname";
    public const string SslModeKey = "database.sslmode";
    public const string ReadOnlyKey = "read.only";
    public const string SlotNameKey = "slot.name";
    public const string PublicationNameKey = "publication.name";
    public const string PublicationAutocreateModeKey = "publication.autocreate.mode";
    public const string TableIncludeListKey = "table.include.list";
    public const string TableIncludeFileKey = "table.include.file";
    public const string HeartbeatIntervalKey = "heartbeat.interval.ms";
    public const string HeartbeatActionKey = "heartbeat.action";
    public const string HeartbeatTableKey = "heartbeat.table";
    public const string SignalTableKey = "signal.data.collection";
    public const string LegacySignalTableKey = "signal.table";
    public const string TopicNameFormatKey = "topic.name.format";
    public const string HeartbeatTopicKey = "topic.heartbeat";
    public const string BinaryHandlingModeKey = "binary.handling.mode";
    public const string DecimalHandlingModeKey = "decimal.handling.mode";
    public const string TimePrecisionModeKey = "time.precision.mode";
    public const string TombstonesOnDeleteKey = "tombstones.on.delete";
    public const string RestPortKey = "rest.port";
    public const string OffsetStorageTopicKey = "offset.storage.topic";
    public const string OffsetFlushIntervalKey = "offset.flush.interval.ms";
    public const string LogLevelKey = "log.level";

    static readonly PgConnectionKeys s_connectionKeys = PgConnectionKeys.WithTlsPrefix("database.", HostnameKey, PortKey, UserKey, PasswordKey, DatabaseKey);

    public required string Name { get; init; }
    /// <summary>The <c>database.*</c> connection settings; the properties below are read from it.</summary>
    public required PgConnectionSettings Connection { get; init; }
    public string Hostname => Connection.Host;
    public int Port => Connection.Port;
    public string User => Connection.User;
    public string? Password => Connection.Password;
    public string Database => Connection.Database;
    public SslMode SslMode => Connection.SslMode;
    public required bool ReadOnly { get; init; }
    public required string SlotName { get; init; }
    public required string PublicationName { get; init; }
    public required PublicationAutocreateMode PublicationAutocreateMode { get; init; }
    public required TableFilter Tables { get; init; }
    public required TimeSpan HeartbeatInterval { get; init; }
    public required HeartbeatAction HeartbeatAction { get; init; }
    public required TableName HeartbeatTable { get; init; }
    public required TableName SignalTable { get; init; }
    public required SnapshotSettings Snapshot { get; init; }
    public required TopicNamer TopicNamer { get; init; }
    public required string HeartbeatTopic { get; init; }
    public required PgAvroOptions AvroOptions { get; init; }
    public required bool TombstonesOnDelete { get; init; }
    public required KafkaClientSettings Kafka { get; init; }
    public required SchemaRegistryClientOptions SchemaRegistry { get; init; }
    public required int RestPort { get; init; }
    public required string OffsetStorageTopic { get; init; }
    public required TimeSpan OffsetFlushInterval { get; init; }
    public required LogLevel LogLevel { get; init; }

    /// <summary>The keys read and their values (secrets as <c>****</c>), for the start-up log line.</summary>
    public IReadOnlyDictionary<string, string> Effective { get; init; } = new Dictionary<string, string>();

    /// <summary>Whether the host name is a PgBouncer pooler endpoint (Neon's <c>-pooler</c> hosts).</summary>
    public bool IsPoolerHost => Hostname.Contains("-pooler", StringComparison.OrdinalIgnoreCase);

    /// <summary>Why a pooler host cannot be used, for <c>check</c> and the start-up refusal.</summary>
    public string PoolerRefusal =>
        $"{HostnameKey} '{Hostname}' is a connection pooler (PgBouncer) endpoint: a pooler cannot carry a replication " +
        "connection, because it does not pass the 'replication' startup parameter on to PostgreSQL and multiplexes " +
        "sessions, while logical replication needs one dedicated walsender session. Use the direct host name (without '-pooler')";

    /// <summary>
    /// Reads every source key (and the <c>kafka.*</c> and <c>schema.registry.*</c> keys), then throws a
    /// <see cref="ConfigException"/> listing every problem, including unknown keys.
    /// </summary>
    /// <param name="config">The reader over the configuration.</param>
    /// <param name="readFile">Reads <c>table.include.file</c>; <see cref="File.ReadAllLines(string)"/> when null.</param>
    public static SourceOptions Read(ConfigReader config, Func<string, IReadOnlyList<string>>? readFile = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        readFile ??= path => File.ReadAllLines(path);

        var name = config.RequiredString(NameKey);
        var connection = PgConnectionSettings.Read(config, s_connectionKeys);
        var readOnly = config.Bool(ReadOnlyKey, false);

        var slotName = config.String(SlotNameKey, "kafkacdc_slot")!;
        if (slotName.Length > 63 || slotName.Any(c => !(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_')))
            config.Problem(SlotNameKey, $"'{slotName}' is not a valid replication slot name: use at most 63 lower-case letters, digits and underscores");
        var publicationName = config.String(PublicationNameKey, "kafkacdc_pub")!;

        var explicitAutocreate = config.String(PublicationAutocreateModeKey);
        var autocreate = config.Enum(PublicationAutocreateModeKey, readOnly ? PublicationAutocreateMode.Disabled : PublicationAutocreateMode.Filtered);
        if (readOnly && explicitAutocreate is not null && autocreate != PublicationAutocreateMode.Disabled)
            config.Problem(PublicationAutocreateModeKey,
                $"'{explicitAutocreate}' needs to write to the database, but {ReadOnlyKey}=true: create the publication on the primary and use 'disabled'");

        var listEntries = config.List(TableIncludeListKey);
        var file = config.String(TableIncludeFileKey);
        IReadOnlyList<string>? fileLines = null;
        if (file is not null)
        {
            try
            {
                fileLines = readFile(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                config.Problem(TableIncludeFileKey, $"cannot read '{file}': {e.Message}");
            }
        }
        var tables = TableFilter.Parse(listEntries, fileLines, config.Problem);

        var heartbeatInterval = config.Long(HeartbeatIntervalKey, 10_000, 0, int.MaxValue);
        var explicitAction = config.String(HeartbeatActionKey);
        var heartbeatAction = config.Enum(HeartbeatActionKey, readOnly ? HeartbeatAction.None : HeartbeatAction.Table);
        if (readOnly && explicitAction is not null && heartbeatAction != HeartbeatAction.None)
            config.Problem(HeartbeatActionKey,
                $"'{explicitAction}' writes to the source database, but {ReadOnlyKey}=true: use 'none' and schedule the heartbeat " +
                "table update with pg_cron on the primary instead (see the README, \"Read-only connections\")");
        var heartbeatTable = ReadTableName(config, HeartbeatTableKey, "kafkacdc.kafkacdc_heartbeat");
        var legacySignal = config.String(LegacySignalTableKey);
        if (legacySignal is not null && config.String(SignalTableKey) is not null)
            config.Problem(LegacySignalTableKey, $"is the earlier name of {SignalTableKey}; set only {SignalTableKey}");
        var signalTable = ReadTableName(config, legacySignal is not null && config.String(SignalTableKey) is null ? LegacySignalTableKey : SignalTableKey,
            "kafkacdc.kafkacdc_signal");
        var snapshot = new SnapshotSettings
        {
            Mode = config.Enum(SnapshotSettings.ModeKey, SnapshotMode.Initial),
            MaxThreads = config.Int(SnapshotSettings.MaxThreadsKey, 2, 1, 64),
            InitialMethod = config.Enum(SnapshotSettings.InitialMethodKey, SnapshotInitialMethod.Exported),
            FetchSize = config.Int(SnapshotSettings.FetchSizeKey, 10240, 1, 10_000_000),
            IncrementalChunkSize = config.Int(SnapshotSettings.IncrementalChunkSizeKey, 10000, 1, 10_000_000),
            NewTables = config.Enum(SnapshotSettings.NewTablesKey, SnapshotNewTables.Incremental),
            OnSchemaChange = config.Enum(SnapshotSettings.OnSchemaChangeKey, SnapshotOnSchemaChange.Incremental),
            KeyColumns = SnapshotSettings.ParseKeyColumns(config.String(SnapshotSettings.KeyColumnsKey), config.Problem),
        };

        var topicFormat = config.String(TopicNameFormatKey, "{database}_{table}")!;
        foreach (var unknown in TopicNamer.UnknownPlaceholders(topicFormat, "{database}", "{schema}", "{table}"))
            config.Problem(TopicNameFormatKey, $"unknown placeholder {unknown}; use {{database}}, {{schema}} and {{table}}");
        if (!topicFormat.Contains("{table}", StringComparison.Ordinal))
            config.Problem(TopicNameFormatKey, $"'{topicFormat}' lacks {{table}}, so every table would share one topic");
        var heartbeatFormat = config.String(HeartbeatTopicKey, "__kafkacdc_heartbeat.{name}")!;
        foreach (var unknown in TopicNamer.UnknownPlaceholders(heartbeatFormat, "{name}"))
            config.Problem(HeartbeatTopicKey, $"unknown placeholder {unknown}; use {{name}}");
        var heartbeatTopic = TopicNamer.Sanitize(heartbeatFormat.Replace("{name}", name));
        if (heartbeatTopic.Length is 0 or > TopicNamer.MaxTopicLength)
            config.Problem(HeartbeatTopicKey, $"gives the topic name '{heartbeatTopic}', which Kafka does not accept (1 to {TopicNamer.MaxTopicLength} characters)");

        var avroOptions = new PgAvroOptions
        {
            BinaryHandling = ParseMode(config, BinaryHandlingModeKey, "bytes", PgAvroOptions.ParseBinaryHandlingMode),
            DecimalHandling = ParseMode(config, DecimalHandlingModeKey, "precise", PgAvroOptions.ParseDecimalHandlingMode),
            TimePrecision = ParseMode(config, TimePrecisionModeKey, "adaptive", PgAvroOptions.ParseTimePrecisionMode),
        };
        var tombstones = config.Bool(TombstonesOnDeleteKey, true);

        var kafka = KafkaClientSettings.FromConnectorConfig(
            config.WithPrefix(KafkaClientSettings.KeyPrefix).Select(p => new KeyValuePair<string, string?>(KafkaClientSettings.KeyPrefix + p.Key, p.Value)));
        foreach (var problem in kafka.Validate(SourceProducerSettings.OwnedProperties)) config.Problem(problem.Key, problem.Message);
        var registry = SchemaRegistryClientOptions.FromConfig(config);

        var restPort = config.Int(RestPortKey, 8083, 0, 65535);
        var offsetTopic = config.String(OffsetStorageTopicKey, "__kafkacdc_source_offsets")!;
        if (offsetTopic.Length > TopicNamer.MaxTopicLength || offsetTopic != TopicNamer.Sanitize(offsetTopic))
            config.Problem(OffsetStorageTopicKey, $"'{offsetTopic}' is not a valid Kafka topic name (1 to {TopicNamer.MaxTopicLength} of [a-zA-Z0-9._-])");
        var offsetFlush = config.Long(OffsetFlushIntervalKey, 1000, 10, int.MaxValue);
        var logLevel = config.LogLevel(LogLevelKey);

        config.ThrowIfProblems();
        return new SourceOptions
        {
            Name = name,
            Connection = connection,
            ReadOnly = readOnly,
            SlotName = slotName,
            PublicationName = publicationName,
            PublicationAutocreateMode = autocreate,
            Tables = tables,
            HeartbeatInterval = TimeSpan.FromMilliseconds(heartbeatInterval),
            HeartbeatAction = heartbeatAction,
            HeartbeatTable = heartbeatTable,
            SignalTable = signalTable,
            Snapshot = snapshot,
            TopicNamer = new TopicNamer(topicFormat),
            HeartbeatTopic = heartbeatTopic,
            AvroOptions = avroOptions,
            TombstonesOnDelete = tombstones,
            Kafka = kafka,
            SchemaRegistry = registry,
            RestPort = restPort,
            OffsetStorageTopic = offsetTopic,
            OffsetFlushInterval = TimeSpan.FromMilliseconds(offsetFlush),
            LogLevel = logLevel,
            Effective = new Dictionary<string, string>(config.Effective),
        };
    }

    /// <summary>
    /// The connection string of an ordinary (catalog, heartbeat, snapshot) or replication connection, with the
    /// session settings the text decoders need (<see cref="PgSessionSettings"/>).
    /// </summary>
    public string ConnectionString(string purpose)
    {
        var builder = Connection.Builder($"kafkacdc-source {Name} ({purpose})");
        builder.Pooling = false;
        builder.Timeout = 30;
        builder.CommandTimeout = 300;
        builder.KeepAlive = 30;
        builder.Options = PgSessionSettings.Options;
        return builder.ConnectionString;
    }

    static TableName ReadTableName(ConfigReader config, string key, string defaultValue)
    {
        var text = config.String(key, defaultValue)!;
        var table = TableName.TryParse(text, out var problem);
        if (table is null)
        {
            config.Problem(key, problem!);
            return TableName.TryParse(defaultValue, out _)!;
        }
        return table;
    }


    static T ParseMode<T>(ConfigReader config, string key, string defaultValue, Func<string, T> parse)
    {
        var text = config.String(key, defaultValue)!;
        try
        {
            return parse(text);
        }
        catch (ArgumentException e)
        {
            config.Problem(key, e.Message.Split(" (Parameter", 2)[0]);
            return parse(defaultValue);
        }
    }
}
