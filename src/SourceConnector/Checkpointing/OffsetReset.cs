using Confluent.Kafka;
using KafkaCdc.Shared.Kafka;
using KafkaCdc.SourceConnector.Configuration;
using Microsoft.Extensions.Logging;

namespace KafkaCdc.SourceConnector.Checkpointing;

/// <summary>
/// The <c>reset-offsets</c> command: writes a tombstone for this connector to the offsets topic, so the next start
/// has no stored position and begins at the slot's (creating the slot if it is missing). This accepts a gap: the
/// changes between the old position and the slot's are not captured (take a snapshot to fill it).
/// </summary>
internal static class OffsetReset
{
    /// <summary>Resets the offset; returns the exit code (0, or 1 when Kafka could not be written).</summary>
    public static async Task<int> RunAsync(SourceOptions options, ILoggerFactory loggerFactory, TextWriter output, CancellationToken cancellationToken)
    {
        var logger = loggerFactory.CreateLogger("KafkaCdc.SourceConnector.Offsets");
        try
        {
            using var producer = new ProducerBuilder<byte[]?, byte[]?>(SourceProducerSettings.Create(options.Kafka, $"kafkacdc-source-{options.Name}-reset"))
                .SetLogger(logger).Build();
            using (var provisioner = new KafkaTopicProvisioner(options.Kafka.CreateAdminClientConfig(), logger))
                await provisioner.EnsureTopicsAsync([options.OffsetStorageTopic], SourceOffsetStore.TopicConfig, cancellationToken);
            var store = new SourceOffsetStore(options.OffsetStorageTopic, options.Name, options.SlotName, options.PublicationName, options.Database,
                producer, options.Kafka.CreateConsumerConfig(KafkaOwnedProperties.ManualCommitConsumer), logger);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(60));
            var previous = await store.ReadAsync(timeout.Token);
            await store.WriteAsync((SourceOffset?)null, timeout.Token);
            var was = previous is null ? "none" : $"LSN {previous.Lsn} of slot {previous.Slot} in database {previous.Database}, written {previous.Updated:u}";
            Log.OffsetsReset(logger, options.Name, options.OffsetStorageTopic, was, options.SlotName);
            await output.WriteLineAsync(
                $"Reset the offset of connector '{options.Name}' in {options.OffsetStorageTopic} (was: {was}). The next start begins at the " +
                $"confirmed position of replication slot '{options.SlotName}' (created if missing); changes before that position are not captured.");
            return 0;
        }
        catch (Exception e) when (e is KafkaException or OperationCanceledException or SourceConnectorException)
        {
            await output.WriteLineAsync($"reset-offsets failed: {e.Message}");
            return 1;
        }
    }
}
