using System.Globalization;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using KafkaCdc.DevStack;
using KafkaCdc.Tests.SinkConnector.Support;
using KafkaCdc.Tests.SourceConnector;

namespace KafkaCdc.Tests.Pipeline;

/// <summary>
/// Issue 14's chaos list: records no sink can decode (garbage bytes, and the wire format's magic byte with a schema id
/// the registry does not know) produced into the source's topics while the pipeline runs as processes under load. With
/// <c>errors.tolerance=all</c> they land in the dead-letter topic with Kafka Connect's error headers and every table ends
/// equal; with <c>none</c> the sink stops the table naming topic, partition and offset, and runs on for the others.
/// </summary>
public class PoisonedRecordPipelineTests
{
    static readonly byte[] s_garbage = "not a change event, not even Avro"u8.ToArray();

    /// <summary>Magic byte 0, schema id 2,147,483,000 (never registered), then a body.</summary>
    static readonly byte[] s_unknownSchemaId = [0, 0x7F, 0xFF, 0xFD, 0x78, 2, 4, 6];

    [Test]
    public async Task PoisonedRecords_UnderToleranceAll_LandInTheDeadLetterTopicWithErrorHeaders_EveryTableEqual()
    {
        await using var source = await SourceTestDatabase.CreateAsync("poison_dlq", ChaosPipeline.Tables);
        var destination = await SinkDestination.CreateAsync("poison_dlq_dst");
        var deadLetters = TestEnvironment.UniqueName("dead_letters");
        var (upsertConfig, insertConfig) = ChaosPipeline.SinkConfigsFor(source, destination);
        upsertConfig["errors.tolerance"] = "all";
        upsertConfig["errors.deadletterqueue.topic.name"] = deadLetters;
        var processes = new Dictionary<string, ConnectorProcess>();
        try
        {
            using var stopWorkload = new CancellationTokenSource();
            var workload = await ChaosPipeline.StartUnderLoadAsync(processes, source, destination, stopWorkload.Token, sinkConfigs: (upsertConfig, insertConfig));

            var poisoned = new[]
            {
                (await ProduceAsync(source.Topic("keyed"), s_garbage), "not in the Confluent wire format"),
                (await ProduceAsync(source.Topic("keyless"), s_unknownSchemaId), "Schema id 2147483000 in the message header is unknown"),
            };
            foreach (var (position, _) in poisoned)
                await processes["upsert sink"].WaitForOutputAsync($"Record {Describe(position)} cannot be written; sent to dead-letter topic {deadLetters}", ChaosPipeline.Timeout);
            await stopWorkload.CancelAsync();
            var (transactions, _) = await workload;

            var checkedRows = await ChaosPipeline.EveryTableEqualAsync(source, destination, processes);
            var letters = await TopicReader.ReadAllAsync(deadLetters, poisoned.Length, ChaosPipeline.Timeout);
            foreach (var (position, reason) in poisoned)
            {
                var letter = letters.SingleOrDefault(l => Header(l, "__connect.errors.topic") == position.Topic);
                Assert.That(letter, Is.Not.Null, $"a dead letter for {Describe(position)}");
                Assert.That((Header(letter!, "__connect.errors.partition"), Header(letter!, "__connect.errors.offset")),
                    Is.EqualTo((position.Partition.Value.ToString(CultureInfo.InvariantCulture), position.Offset.Value.ToString(CultureInfo.InvariantCulture))));
                Assert.That(Header(letter!, "__connect.errors.stage"), Is.EqualTo("VALUE_CONVERTER"));
                Assert.That(Header(letter!, "__connect.errors.exception.class.name"), Does.EndWith("MessageDecodingException"));
                Assert.That(Header(letter!, "__connect.errors.exception.message"), Does.Contain(reason));
                Assert.That(Header(letter!, "__connect.errors.connector.name"), Is.EqualTo(upsertConfig["name"]));
            }
            ChaosPipeline.AssertStillRunning(processes, "the poisoned records");
            TestContext.Out.WriteLine($"{transactions} transactions, {poisoned.Length} poisoned records ({string.Join(", ", poisoned.Select(p => Describe(p.Item1)))}) " +
                                      $"dead-lettered with error headers; {checkedRows} rows checked");
        }
        finally
        {
            foreach (var process in processes.Values) await process.DisposeAsync();
        }
    }

    [Test]
    public async Task PoisonedRecord_UnderToleranceNone_StopsItsTableNamingTopicPartitionOffset_TheOtherTablesEqual()
    {
        await using var source = await SourceTestDatabase.CreateAsync("poison_stop", ChaosPipeline.Tables);
        var destination = await SinkDestination.CreateAsync("poison_stop_dst");
        var (upsertConfig, insertConfig) = ChaosPipeline.SinkConfigsFor(source, destination);
        upsertConfig["rest.port"] = LocalPorts.Free().ToString(CultureInfo.InvariantCulture);
        var processes = new Dictionary<string, ConnectorProcess>();
        try
        {
            using var stopWorkload = new CancellationTokenSource();
            var workload = await ChaosPipeline.StartUnderLoadAsync(processes, source, destination, stopWorkload.Token, sinkConfigs: (upsertConfig, insertConfig));

            var poisoned = await ProduceAsync(source.Topic("keyed"), s_unknownSchemaId);
            var sink = processes["upsert sink"];
            JsonElement stop = default;
            await Poll.UntilAsync(async () => (stop = await StoppedTableAsync(sink)).ValueKind == JsonValueKind.Object, ChaosPipeline.Timeout,
                () => $"the sink's /status to name a stopped table; its output:{Environment.NewLine}{sink.Output}");
            Assert.That((stop.GetProperty("topic").GetString(), stop.GetProperty("partition").GetInt32(), stop.GetProperty("offset").GetInt64()),
                Is.EqualTo((poisoned.Topic, poisoned.Partition.Value, poisoned.Offset.Value)), "/status names the poisoned record");
            Assert.That(stop.GetProperty("reason").GetString(), Does.Contain("Schema id 2147483000 in the message header is unknown"));
            await sink.WaitForOutputAsync($"record {Describe(poisoned)} cannot be written", ChaosPipeline.Timeout);
            await stopWorkload.CancelAsync();
            var (transactions, _) = await workload;

            var checkedRows = 0;
            foreach (var table in new[] { "keyless", "appended" })
                checkedRows += await ChaosPipeline.UntilEqualAsync(source, table, destination, source.Topic(table), processes);
            // keyed's records before the poisoned one are applied and committed, nothing from it on; its partitions of the
            // other task (not paused) are applied to their end.
            var paused = stop.GetProperty("paused_partitions").EnumerateArray().Select(p => p.GetInt32()).ToList();
            var expected = SinkDestination.EndOffsets(poisoned.Topic)
                .Select(e => (e.Key, Next: e.Key == poisoned.Partition.Value ? poisoned.Offset.Value : paused.Contains(e.Key) ? (long?)null : e.Value))
                .Where(e => e.Next is not (null or 0)).ToList();
            Dictionary<(string, int), long> recorded = [];
            await Poll.UntilAsync(async () =>
            {
                recorded = await destination.RecordedOffsetsAsync(upsertConfig["group.id"]);
                return expected.All(e => recorded.GetValueOrDefault((poisoned.Topic, e.Key)) == e.Next);
            }, ChaosPipeline.Timeout, () => $"the sink's recorded offsets of {poisoned.Topic} to be {string.Join(", ", expected.Select(e => $"{e.Key}:{e.Next}"))} " +
                                     $"(paused {string.Join(",", paused)}): they are {string.Join(", ", recorded.Where(r => r.Key.Item1 == poisoned.Topic).Select(r => $"{r.Key.Item2}:{r.Value}"))}");
            ChaosPipeline.AssertStillRunning(processes, "the stopped table");
            Assert.That((await StoppedTableAsync(sink)).ValueKind, Is.EqualTo(JsonValueKind.Object), "the table stays stopped");
            TestContext.Out.WriteLine($"{transactions} transactions; table stopped at {Describe(poisoned)} (paused partitions {string.Join(",", paused)}; " +
                                      $"offsets checked: {string.Join(", ", expected.Select(e => $"{e.Key}:{e.Next}"))}); {checkedRows} rows of the other tables checked");
        }
        finally
        {
            foreach (var process in processes.Values) await process.DisposeAsync();
        }
    }

    /// <summary>Produces <paramref name="value"/> (no key) to partition 0 of <paramref name="topic"/>; returns where it landed.</summary>
    static async Task<TopicPartitionOffset> ProduceAsync(string topic, byte[] value)
    {
        using var producer = new ProducerBuilder<byte[]?, byte[]?>(new ProducerConfig { BootstrapServers = TestEnvironment.KafkaBootstrapServers }).Build();
        var report = await producer.ProduceAsync(new TopicPartition(topic, 0), new Message<byte[]?, byte[]?> { Value = value });
        return report.TopicPartitionOffset;
    }

    /// <summary>The first stopped table in the sink's <c>/status</c>, or an undefined element while none.</summary>
    static async Task<JsonElement> StoppedTableAsync(ConnectorProcess sink)
    {
        if (await sink.GetAsync("/status") is not { } status) return default;
        using var document = JsonDocument.Parse(status);
        return document.RootElement.GetProperty("tasks").EnumerateArray().SelectMany(t => t.GetProperty("stopped_tables").EnumerateArray())
            .Select(s => s.Clone()).FirstOrDefault();
    }

    static string? Header(ConsumeResult<string, string> letter, string key) =>
        letter.Message.Headers.TryGetLastBytes(key, out var bytes) ? Encoding.UTF8.GetString(bytes) : null;

    static string Describe(TopicPartitionOffset position) => $"{position.Topic}/{position.Partition.Value}/{position.Offset.Value}";
}
