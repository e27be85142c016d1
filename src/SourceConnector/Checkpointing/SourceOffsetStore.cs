using System.Text.Json;
using Confluent.Kafka;
using KafkaCdc.Shared.Failures;
using KafkaCdc.Shared.Kafka;
using Microsoft.Extensions.Logging;
using NpgsqlTypes;

namespace KafkaCdc.SourceConnector.Checkpointing;

/// <summary>
/// The source offsets in <c>offset.storage.topic</c>: one record per connector, keyed by the connector name, always
/// written to partition 0 so that the last one wins; a compacted topic keeps only that one. Read back in full on
/// start (every partition up to its high watermark; the latest record for this connector wins).
/// </summary>
internal sealed class SourceOffsetStore(
    string topic, string connectorName, string slot, string publication, string database,
    IProducer<byte[]?, byte[]?> producer, ConsumerConfig consumerConfig, ILogger logger) : IOffsetWriter
{
    static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);
    static readonly TimeSpan s_queueFullWait = TimeSpan.FromMilliseconds(5);
    readonly byte[] _key = System.Text.Encoding.UTF8.GetBytes(connectorName);

    /// <summary>The offsets topic.</summary>
    public string Topic { get; } = topic;

    /// <summary>The offset last read or written by this process (null: none, or a tombstone).</summary>
    public SourceOffset? Last { get; private set; }

    /// <summary>Topic configuration used when the topic is created through the admin API.</summary>
    public static IReadOnlyDictionary<string, string> TopicConfig { get; } = new Dictionary<string, string> { ["cleanup.policy"] = "compact" };

    /// <summary>Reads this connector's latest offset, or null when there is none (or the latest is a tombstone).</summary>
    /// <exception cref="KafkaException">The topic could not be read in time.</exception>
    /// <exception cref="SourceConnectorException">The latest record is not a source offset.</exception>
    public async Task<SourceOffset?> ReadAsync(CancellationToken cancellationToken) =>
        Last = await Task.Factory.StartNew(() => Read(cancellationToken), cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    SourceOffset? Read(CancellationToken cancellationToken)
    {
        var config = new ConsumerConfig(consumerConfig.ToDictionary(p => p.Key, p => p.Value))
        {
            GroupId = $"kafkacdc-source-offsets-reader-{connectorName}",
            EnableAutoCommit = false,
            EnablePartitionEof = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
        };
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(config).SetLogger(logger).Build();
        using var admin = new DependentAdminClientBuilder(consumer.Handle).Build();
        var metadata = admin.GetMetadata(Topic, s_timeout).Topics.SingleOrDefault(t => t.Topic == Topic);
        if (metadata is null || metadata.Error.IsError)
            throw new KafkaException(metadata?.Error ?? new Error(ErrorCode.UnknownTopicOrPart, $"no metadata for {Topic}"));

        var ends = new Dictionary<int, long>();
        var assignment = new List<TopicPartitionOffset>();
        foreach (var partition in metadata.Partitions)
        {
            var watermarks = consumer.QueryWatermarkOffsets(new TopicPartition(Topic, partition.PartitionId), s_timeout);
            if (watermarks.High.Value <= watermarks.Low.Value) continue;
            ends[partition.PartitionId] = watermarks.High.Value;
            assignment.Add(new TopicPartitionOffset(Topic, partition.PartitionId, watermarks.Low));
        }
        if (assignment.Count == 0) return null;

        consumer.Assign(assignment);
        (DateTime Time, int Partition, long Offset, byte[]? Value)? latest = null;
        var deadline = DateTime.UtcNow + s_timeout;
        while (ends.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (DateTime.UtcNow > deadline)
                throw new KafkaException(new Error(ErrorCode.Local_TimedOut,
                    $"reading the offsets topic {Topic} did not reach its end within {s_timeout.TotalSeconds:0}s (partitions left: {string.Join(", ", ends.Keys)})"));
            var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (result is null) continue;
            if (result.Message.Key is { } key && key.AsSpan().SequenceEqual(_key))
            {
                var candidate = (result.Message.Timestamp.UtcDateTime, result.Partition.Value, result.Offset.Value, result.Message.Value);
                if (latest is null || candidate.UtcDateTime >= latest.Value.Time) latest = candidate;
            }
            if (result.Offset.Value + 1 >= ends[result.Partition.Value]) ends.Remove(result.Partition.Value);
        }
        consumer.Close();

        if (latest?.Value is not { } value) return null;
        try
        {
            var offset = SourceOffset.Parse(value);
            Snapshot = offset.Snapshot;
            Tables = offset.Tables;
            return offset;
        }
        catch (JsonException e)
        {
            throw new SourceConnectorException(FailureKind.Permanent,
                $"The offsets topic {Topic} holds a record for connector '{connectorName}' (partition {latest.Value.Partition}, offset {latest.Value.Offset}) " +
                $"that is not a source offset: {e.Message}. Run the reset-offsets command to replace it", e);
        }
    }

    /// <summary>
    /// The snapshot progress written with every offset from now on (null: none in progress). Set by the snapshot
    /// code once Kafka acknowledged what it describes; the next offset write stores it.
    /// </summary>
    public SnapshotOffset? Snapshot
    {
        get => Volatile.Read(ref _snapshot);
        set => Volatile.Write(ref _snapshot, value?.OrNull());
    }

    SnapshotOffset? _snapshot;

    /// <summary>The captured tables written with every offset from now on (quoted names; null: not known yet).</summary>
    public IReadOnlyList<string>? Tables
    {
        get => Volatile.Read(ref _tables);
        set => Volatile.Write(ref _tables, value);
    }

    IReadOnlyList<string>? _tables;

    /// <summary>
    /// Writes <paramref name="lsn"/> (with the current <see cref="Snapshot"/>) as this connector's offset and waits for
    /// Kafka's acknowledgement. A snapshot filter the position has passed is dropped: a restart streams from after it.
    /// </summary>
    public Task WriteAsync(NpgsqlLogSequenceNumber lsn, CancellationToken cancellationToken)
    {
        SnapshotOffset? current;
        while ((current = Snapshot) is { } stored && stored.StreamFilters.Any(f => Passed(f, lsn)))
        {
            if (Interlocked.CompareExchange(ref _snapshot, stored.WithFilters([.. stored.StreamFilters.Where(f => !Passed(f, lsn))]).OrNull(), current) == current) break;
        }
        return WriteAsync(new SourceOffset(lsn.ToString(), slot, publication, database, DateTimeOffset.UtcNow, Snapshot, Tables), cancellationToken);
    }

    static bool Passed(StreamFilterOffset filter, NpgsqlLogSequenceNumber lsn) => NpgsqlLogSequenceNumber.TryParse(filter.Until, out var until) && lsn > until;

    /// <summary>
    /// Writes <paramref name="offset"/> (or a tombstone when null) and waits for Kafka's acknowledgement. When the
    /// producer's send queue, shared with the change records, is full, it waits for room as they do (back-pressure, not
    /// a failure: a snapshot's progress stored into a full queue restarted the snapshot as a new run).
    /// </summary>
    /// <exception cref="ProduceException{TKey,TValue}">Kafka refused the record.</exception>
    public async Task WriteAsync(SourceOffset? offset, CancellationToken cancellationToken)
    {
        var message = new Message<byte[]?, byte[]?> { Key = _key, Value = offset?.ToJson() };
        while (true)
        {
            try
            {
                await producer.ProduceAsync(new TopicPartition(Topic, 0), message, cancellationToken);
                break;
            }
            catch (ProduceException<byte[]?, byte[]?> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
            {
                await Task.Delay(s_queueFullWait, cancellationToken);
            }
        }
        Last = offset;
        Log.OffsetStored(logger, Topic, offset?.Lsn ?? "(none)");
    }
}
