using Avro.Generic;
using Confluent.Kafka;
using KafkaCdc.Shared.ChangeEvents;
using KafkaCdc.Shared.SchemaRegistry;
using KafkaCdc.Shared.SchemaRegistry.Serdes;

namespace KafkaCdc.Tests.SourceConnector;

/// <summary>One record of a change topic, decoded through the registry.</summary>
/// <param name="Partition">The partition.</param>
/// <param name="Offset">The offset in it.</param>
/// <param name="Key">The decoded key record, or null for a null key.</param>
/// <param name="Value">The decoded envelope, or null for a tombstone.</param>
/// <param name="ValueSchemaId">The schema id of the value, 0 for a tombstone.</param>
/// <param name="RawKey">The key's bytes as stored in Kafka.</param>
/// <param name="RawValue">The value's bytes as stored in Kafka.</param>
/// <param name="Position">The record's source position (the envelope's, or a tombstone's header), when it has one.</param>
/// <param name="Mark">The <c>kafkacdc.snapshot</c> header, when the record has one.</param>
internal sealed record ChangeRecord(int Partition, long Offset, GenericRecord? Key, GenericRecord? Value, int ValueSchemaId, byte[]? RawKey = null, byte[]? RawValue = null,
    SourcePosition? Position = null, SnapshotMark? Mark = null)
{
    /// <summary>The envelope's <c>op</c>.</summary>
    public string? Op => (string?)Value?["op"];

    /// <summary>The envelope's <c>after</c> record.</summary>
    public GenericRecord? After => (GenericRecord?)Value?["after"];

    /// <summary>The envelope's <c>before</c> record.</summary>
    public GenericRecord? Before => (GenericRecord?)Value?["before"];

    /// <summary>The envelope's <c>source</c> record.</summary>
    public GenericRecord Source => (GenericRecord)Value!["source"]!;
}

/// <summary>Reads change topics from the beginning (no consumer group) and decodes them with the shared <see cref="AvroDeserializer"/>.</summary>
internal static class ChangeTopic
{
    static readonly Lazy<(Confluent.SchemaRegistry.CachedSchemaRegistryClient Client, AvroDeserializer Deserializer)> s_registry = new(() =>
    {
        var client = SchemaRegistryClientOptions.ForUrl(TestEnvironment.RequireSchemaRegistryUrl()).CreateClient();
        return (client, new AvroDeserializer(client));
    });

    /// <summary>The run's registry client.</summary>
    public static Confluent.SchemaRegistry.ISchemaRegistryClient Registry => s_registry.Value.Client;

    /// <summary>The record's <see cref="SnapshotMark"/> header; null without one, a failed test when malformed.</summary>
    static SnapshotMark? MarkOf(Message<byte[]?, byte[]?> message)
    {
        if (message.Headers is null || !message.Headers.TryGetLastBytes(SnapshotMark.HeaderName, out var bytes)) return null;
        Assert.That(SnapshotMark.TryRead(bytes, out var mark, out var error), Is.True, error);
        return mark;
    }

    /// <summary>
    /// The record's <see cref="SourcePosition"/>, as the contract places it: a record with a value in its envelope's
    /// <c>source</c> block (and no header), a tombstone in the header; null without one (a heartbeat has no source
    /// block), a failed test when malformed.
    /// </summary>
    static SourcePosition? PositionOf(Message<byte[]?, byte[]?> message, GenericRecord? value)
    {
        var header = message.Headers is not null && message.Headers.TryGetLastBytes(SourcePosition.HeaderName, out var bytes) ? bytes : null;
        if (value is not null)
        {
            Assert.That(header, Is.Null, $"a record with a value carries its position in the envelope, not in the {SourcePosition.HeaderName} header");
            // A value without a source block (a heartbeat) has no position.
            if (!value.TryGetValue("source", out var block) || block is not GenericRecord source) return null;
            var (commitLsn, serialNo, systemId) = ((long?)source["commit_lsn"], (long?)source["event_serial_no"], (long?)source["system_id"]);
            Assert.That(commitLsn is null == serialNo is null && serialNo is null == systemId is null, Is.True,
                $"source.commit_lsn {commitLsn}, event_serial_no {serialNo}, system_id {systemId}: all three or none");
            return commitLsn is { } lsn ? new SourcePosition((ulong)systemId!.Value, (ulong)lsn, (ulong)serialNo!.Value) : null;
        }
        if (header is null) return null;
        Assert.That(SourcePosition.TryRead(header, out var position), Is.True, $"{SourcePosition.HeaderName} header of {header.Length} bytes");
        return position;
    }

    /// <summary>A consumer of the run's Kafka that reads by assignment (its group id is never used).</summary>
    static IConsumer<byte[]?, byte[]?> Consumer(string topic) =>
        new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig
        {
            BootstrapServers = TestEnvironment.KafkaBootstrapServers,
            GroupId = "unused-" + topic,
            EnableAutoCommit = false,
            EnablePartitionEof = false,
        }).SetLogHandler((_, _) => { }).Build();

    /// <summary>Reads <paramref name="topic"/> until <paramref name="done"/> holds for the records read so far (in partition, offset order).</summary>
    public static async Task<IReadOnlyList<ChangeRecord>> ReadUntilAsync(
        string topic, Func<IReadOnlyList<ChangeRecord>, bool> done, TimeSpan timeout, string what)
    {
        using var consumer = Consumer(topic);
        var partitions = await PartitionsAsync(consumer.Handle, topic, timeout, what);
        consumer.Assign(partitions.Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));

        var records = new List<ChangeRecord>();
        var deserializer = s_registry.Value.Deserializer;
        await Poll.UntilAsync(async () =>
        {
            while (consumer.Consume(TimeSpan.FromMilliseconds(20)) is { } result)
            {
                var key = await deserializer.DeserializeAsync(result.Message.Key ?? [], CancellationToken.None);
                var value = await deserializer.DeserializeAsync(result.Message.Value ?? [], CancellationToken.None);
                records.Add(new ChangeRecord(result.Partition.Value, result.Offset.Value, (GenericRecord?)key?.Datum, (GenericRecord?)value?.Datum, value?.SchemaId ?? 0,
                    result.Message.Key, result.Message.Value, PositionOf(result.Message, (GenericRecord?)value?.Datum), MarkOf(result.Message)));
            }
            records.Sort((a, b) => a.Partition != b.Partition ? a.Partition.CompareTo(b.Partition) : a.Offset.CompareTo(b.Offset));
            return done(records);
        }, timeout, () => $"{what} in topic {topic} (have {records.Count} records: " +
            $"{string.Join(", ", records.GroupBy(r => r.Op ?? "tombstone").OrderBy(g => g.Key).Select(g => $"{g.Count()} {g.Key}"))})");
        return records;
    }

    /// <summary>
    /// Reads <paramref name="topic"/> from offset 0 up to its partitions' high watermarks, taken again every round (the
    /// connector may still be writing), and asks <paramref name="mismatch"/> about everything read after each round,
    /// whether or not the round brought new records, until it answers null or <paramref name="timeout"/> passes.
    /// </summary>
    /// <param name="topic">The change topic.</param>
    /// <param name="mismatch">What still differs from the expected state (null: nothing); shown on timeout.</param>
    /// <param name="timeout">How long to wait.</param>
    /// <param name="what">What is awaited, for the failure message.</param>
    /// <remarks>
    /// A partition whose log no longer starts at offset 0 fails at once: the broker dropped records (the dev stack's
    /// mock cluster keeps about 5 MiB or 100,000 records per partition, see src/DevStack/README.md), and a comparison
    /// would blame the connector for them.
    /// </remarks>
    public static async Task<IReadOnlyList<ChangeRecord>> ReadToEndUntilAsync(
        string topic, Func<IReadOnlyList<ChangeRecord>, string?> mismatch, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        using var consumer = Consumer(topic);
        var partitions = await PartitionsAsync(consumer.Handle, topic, timeout, what);
        consumer.Assign(partitions.Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));

        var records = new List<ChangeRecord>();
        var next = partitions.ToDictionary(p => p, _ => 0L);
        var deserializer = s_registry.Value.Deserializer;
        var interval = TimeSpan.FromMilliseconds(10);
        while (true)
        {
            var ends = new Dictionary<int, long>();
            foreach (var partition in partitions)
            {
                var watermarks = consumer.QueryWatermarkOffsets(new TopicPartition(topic, partition), TimeSpan.FromSeconds(10));
                if (watermarks.Low.Value > 0)
                    Assert.Fail($"partition {partition} of topic {topic} starts at offset {watermarks.Low.Value} (high watermark {watermarks.High.Value}): " +
                                "the broker dropped its oldest records (the dev stack's mock cluster keeps about 5 MiB or 100,000 records per " +
                                "partition), so a comparison with the source would report them lost; spread the test's data over more partitions");
                ends[partition] = watermarks.High.Value;
            }
            while (partitions.Any(p => next[p] < ends[p]) && DateTime.UtcNow < deadline)
            {
                if (consumer.Consume(TimeSpan.FromMilliseconds(100)) is not { } result) continue;
                var key = await deserializer.DeserializeAsync(result.Message.Key ?? [], CancellationToken.None);
                var value = await deserializer.DeserializeAsync(result.Message.Value ?? [], CancellationToken.None);
                records.Add(new ChangeRecord(result.Partition.Value, result.Offset.Value, (GenericRecord?)key?.Datum, (GenericRecord?)value?.Datum, value?.SchemaId ?? 0,
                    result.Message.Key, result.Message.Value, PositionOf(result.Message, (GenericRecord?)value?.Datum), MarkOf(result.Message)));
                next[result.Partition.Value] = result.Offset.Value + 1;
            }
            records.Sort((a, b) => a.Partition != b.Partition ? a.Partition.CompareTo(b.Partition) : a.Offset.CompareTo(b.Offset));
            var reached = partitions.All(p => next[p] >= ends[p]);
            var difference = reached ? mismatch(records) : "the high watermarks were not reached";
            if (difference is null) return records;
            if (DateTime.UtcNow >= deadline)
            {
                Assert.Fail($"timed out after {timeout.TotalSeconds:0.#}s waiting for {what} in topic {topic} (read {records.Count} records; per partition " +
                            $"read to / high watermark: {string.Join(", ", partitions.Select(p => $"{p}: {next[p]}/{ends[p]}"))}): {difference}");
            }
            await Task.Delay(interval);
            interval = TimeSpan.FromTicks(Math.Min(interval.Ticks * 2, TimeSpan.FromMilliseconds(500).Ticks));
        }
    }

    /// <summary>
    /// The partition count of <paramref name="topic"/>, once it exists: the broker's default for a topic the connector
    /// created (4 on the dev stack's mock cluster and in the test containers; whatever an external cluster says).
    /// </summary>
    public static async Task<int> PartitionCountAsync(string topic, TimeSpan timeout)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = TestEnvironment.KafkaBootstrapServers })
            .SetLogHandler((_, _) => { }).Build();
        return (await PartitionsAsync(admin.Handle, topic, timeout, "its partition count")).Count;
    }

    static async Task<List<int>> PartitionsAsync(Handle handle, string topic, TimeSpan timeout, string what)
    {
        using var admin = new DependentAdminClientBuilder(handle).Build();
        List<int> partitions = [];
        await Poll.UntilAsync(() =>
        {
            var metadata = admin.GetMetadata(topic, TimeSpan.FromSeconds(5)).Topics.SingleOrDefault(t => t.Topic == topic);
            partitions = metadata is { Error.IsError: false } ? metadata.Partitions.Select(p => p.PartitionId).ToList() : [];
            return partitions.Count > 0;
        }, timeout, $"topic {topic} to exist ({what})");
        return partitions;
    }

    /// <summary>Reads until <paramref name="count"/> records (tombstones included) arrived.</summary>
    public static Task<IReadOnlyList<ChangeRecord>> ReadAsync(string topic, int count, TimeSpan? timeout = null) =>
        ReadUntilAsync(topic, r => r.Count >= count, timeout ?? TimeSpan.FromSeconds(30), $"{count} records");
}
