using Confluent.Kafka;
using Confluent.SchemaRegistry;
using KafkaCdc.Shared.Failures;
using KafkaCdc.Shared.Kafka;
using KafkaCdc.Shared.Postgres;
using KafkaCdc.Shared.SchemaRegistry;
using KafkaCdc.Shared.SchemaRegistry.Serdes;
using KafkaCdc.SourceConnector.Checkpointing;
using KafkaCdc.SourceConnector.Configuration;
using KafkaCdc.SourceConnector.Encoding;
using KafkaCdc.SourceConnector.Publishing;
using KafkaCdc.SourceConnector.Replication;
using KafkaCdc.SourceConnector.Snapshots;
using KafkaCdc.SourceConnector.Status;
using Microsoft.Extensions.Logging;

namespace KafkaCdc.SourceConnector;

/// <summary>
/// What lives as long as the process and outlives reconnects: the Kafka producer (one, idempotent), the registry
/// client and serializer, the topic provisioner, the offset store, the topic assignments and the status.
/// </summary>
internal sealed class SourceProcess : IDisposable
{
    readonly TaskCompletionSource<Exception> _fatal = new(TaskCreationOptions.RunContinuationsAsynchronously);
    readonly CachedSchemaRegistryClient _registry;

    public SourceProcess(SourceOptions options, SourceStatus status, ILoggerFactory loggerFactory, SignalInbox? signals = null)
    {
        Signals = signals ?? new SignalInbox();
        Options = options;
        Status = status;
        var logger = loggerFactory.CreateLogger("KafkaCdc.SourceConnector.Kafka");
        Producer = new ProducerBuilder<byte[]?, byte[]?>(SourceProducerSettings.Create(options.Kafka, $"kafkacdc-source-{options.Name}"))
            .SetLogger(logger, error => _fatal.TrySetResult(new SourceConnectorException(FailureKind.Permanent,
                $"The Kafka producer failed fatally ({error.Code}: {error.Reason}); records can no longer be written with the idempotent guarantee. Restart the connector")))
            .Build();
        _registry = options.SchemaRegistry.CreateClient();
        Serializer = new AvroSerializer(_registry);
        Provisioner = new KafkaTopicProvisioner(options.Kafka.CreateAdminClientConfig(), logger);
        Offsets = new SourceOffsetStore(options.OffsetStorageTopic, options.Name, options.SlotName, options.PublicationName, options.Database,
            Producer, options.Kafka.CreateConsumerConfig(KafkaOwnedProperties.ManualCommitConsumer), loggerFactory.CreateLogger("KafkaCdc.SourceConnector.Offsets"));
        CaptureRules = new CaptureRules(options.Tables, options.HeartbeatTable, options.SignalTable);
        Topics = new TopicAssignments(options.Database, options.TopicNamer);
        RelationHistory = new RelationHistory(_registry);
    }

    public SourceOptions Options { get; }
    public SourceStatus Status { get; }
    public IProducer<byte[]?, byte[]?> Producer { get; }
    public ISchemaRegistryClient Registry => _registry;
    public AvroSerializer Serializer { get; }
    public KafkaTopicProvisioner Provisioner { get; }
    public SourceOffsetStore Offsets { get; }
    public CaptureRules CaptureRules { get; }
    public TopicAssignments Topics { get; }

    /// <summary>The last known columns of each captured table, kept across reconnects, to tell which schema changes need a backfill.</summary>
    public RelationHistory RelationHistory { get; }

    /// <summary>Where <c>POST /signals</c> delivers signals: the running session attaches its snapshotter.</summary>
    public SignalInbox Signals { get; }

    /// <summary>
    /// A new <see cref="ChangeRecordProducer"/> over the process's producer, with its own encoder (one per thread):
    /// for the publisher thread of a session, or a snapshot worker.
    /// </summary>
    public ChangeRecordProducer RecordProducer(Action<Exception> onDeliveryFailure, ILogger logger) =>
        new(Producer, new ChangeEventEncoder(Serializer, Options.Name, Options.Database, SystemId), new SchemaRegistrar(Serializer, Registry, Provisioner, logger),
            new PartitionCounts(Producer), Status, Options.TombstonesOnDelete, onDeliveryFailure, logger, SystemId);

    /// <summary>
    /// The PostgreSQL system identifier of the server the current session streams from (<c>IDENTIFY_SYSTEM</c>), the
    /// first part of every streamed record's <c>SourcePosition</c>; 0 until a session identified the server.
    /// </summary>
    public ulong SystemId { get; set; }

    /// <summary>Completes with the failure when the producer reports a fatal error.</summary>
    public Task<Exception> Fatal => _fatal.Task;

    /// <summary>
    /// Creates the offsets and heartbeat topics and registers the heartbeat schemas: what every session needs first.
    /// </summary>
    public async Task PrepareKafkaAsync(CancellationToken cancellationToken)
    {
        await Provisioner.EnsureTopicsAsync([Options.OffsetStorageTopic], SourceOffsetStore.TopicConfig, cancellationToken);
        if (Options.HeartbeatInterval > TimeSpan.Zero)
        {
            await Provisioner.EnsureTopicsAsync([Options.HeartbeatTopic], cancellationToken);
            await RegisterHeartbeatSchemaAsync(true, ChangeEventSchemas.HeartbeatKey, cancellationToken);
            await RegisterHeartbeatSchemaAsync(false, ChangeEventSchemas.HeartbeatValue, cancellationToken);
        }
    }

    /// <summary>Registers a heartbeat schema; a refusal (credentials, a rejected schema) is permanent and names the subject and the setting.</summary>
    async Task RegisterHeartbeatSchemaAsync(bool isKey, Avro.Schema schema, CancellationToken cancellationToken)
    {
        try
        {
            await Serializer.RegisterAsync(Options.HeartbeatTopic, isKey, schema, cancellationToken);
        }
        catch (HttpRequestException e) when (!RegistryFailures.IsTransient(e))
        {
            throw new SourceConnectorException(FailureKind.Permanent,
                $"The schema registry refused to register the heartbeat {(isKey ? "key" : "value")} schema " +
                $"(subject {AvroSerializer.SubjectName(Options.HeartbeatTopic, isKey)}): {RegistryFailures.Describe(e)}", e);
        }
    }

    public void Dispose()
    {
        Producer.Flush(TimeSpan.FromSeconds(5));
        Producer.Dispose();
        Provisioner.Dispose();
        _registry.Dispose();
    }
}
