using Confluent.Kafka;
using Confluent.SchemaRegistry;
using KafkaCdc.Shared.Kafka;
using KafkaCdc.Shared.SchemaRegistry;
using KafkaCdc.SourceConnector.Checkpointing;
using KafkaCdc.SourceConnector.Configuration;
using KafkaCdc.SourceConnector.Replication;
using Microsoft.Extensions.Logging.Abstractions;

namespace KafkaCdc.SourceConnector.Check;

/// <summary>The <c>check</c> items about Kafka, the schema registry and the stored offset.</summary>
internal static class KafkaChecks
{
    static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);

    public static async Task AddAsync(SourceOptions options, (bool Known, SlotInfo? Slot) slot, List<CheckResult> results, CancellationToken cancellationToken)
    {
        var kafkaReachable = false;
        try
        {
            using var admin = new AdminClientBuilder(options.Kafka.CreateAdminClientConfig()).SetLogHandler((_, _) => { }).Build();
            var metadata = await Task.Run(() => admin.GetMetadata(s_timeout), cancellationToken);
            kafkaReachable = metadata.Brokers.Count > 0;
            results.Add(new("Kafka", kafkaReachable, kafkaReachable
                ? $"{metadata.Brokers.Count} broker(s) reachable through {options.Kafka.BootstrapServers}"
                : $"no broker answered through {options.Kafka.BootstrapServers}"));
        }
        catch (KafkaException e)
        {
            results.Add(new("Kafka", false, $"{options.Kafka.BootstrapServers}: {e.Error.Code}: {e.Error.Reason}"));
        }

        try
        {
            // One attempt, with the check's own time limit: a check reports, it does not wait out retries.
            var config = new Dictionary<string, string>(options.SchemaRegistry.ClientConfig)
            {
                [SchemaRegistryConfig.PropertyNames.SchemaRegistryMaxRetries] = "1",
                [SchemaRegistryConfig.PropertyNames.SchemaRegistryRequestTimeoutMs] = ((int)s_timeout.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture),
            };
            using var registry = new CachedSchemaRegistryClient(config);
            var subjects = await registry.GetAllSubjectsAsync().WaitAsync(cancellationToken);
            results.Add(new("schema registry", true, $"{string.Join(", ", options.SchemaRegistry.Urls)} answers ({subjects.Count} subjects)"));
        }
        catch (HttpRequestException e)
        {
            results.Add(new("schema registry", false, $"{string.Join(", ", options.SchemaRegistry.Urls)}: {RegistryFailures.Describe(e)}"));
        }

        if (!kafkaReachable || !slot.Known) return;
        try
        {
            using var producer = new ProducerBuilder<byte[]?, byte[]?>(SourceProducerSettings.Create(options.Kafka, $"kafkacdc-source-{options.Name}-check"))
                .SetLogHandler((_, _) => { }).Build();
            var store = new SourceOffsetStore(options.OffsetStorageTopic, options.Name, options.SlotName, options.PublicationName, options.Database,
                producer, options.Kafka.CreateConsumerConfig(KafkaOwnedProperties.ManualCommitConsumer), NullLogger.Instance);
            var stored = await ReadIfTopicExistsAsync(store, options, cancellationToken);
            var decision = StartPosition.Decide(stored, slot.Slot, options.Name, options.SlotName, options.Database, options.OffsetStorageTopic);
            results.Add(decision.Action switch
            {
                StartAction.Refuse => new CheckResult("stored offset", false, decision.Reason!),
                StartAction.Resume => new CheckResult("stored offset", true, $"resumes at LSN {stored!.Lsn} (written {stored.Updated:u})"),
                _ => new CheckResult("stored offset", true, "none yet: the first start records the slot's position"),
            });
        }
        catch (Exception e) when (e is KafkaException or SourceConnectorException)
        {
            results.Add(new("stored offset", false, $"cannot read {options.OffsetStorageTopic}: {e.Message}"));
        }
    }

    /// <summary>The stored offset; null when the offsets topic does not exist yet (without creating it).</summary>
    static async Task<SourceOffset?> ReadIfTopicExistsAsync(SourceOffsetStore store, SourceOptions options, CancellationToken cancellationToken)
    {
        using var admin = new AdminClientBuilder(options.Kafka.CreateAdminClientConfig()).SetLogHandler((_, _) => { }).Build();
        var metadata = await Task.Run(() => admin.GetMetadata(s_timeout), cancellationToken);
        return metadata.Topics.Any(t => t.Topic == options.OffsetStorageTopic) ? await store.ReadAsync(cancellationToken) : null;
    }
}
