using Confluent.Kafka;
using KafkaCdc.Shared.SchemaRegistry.Serdes;
using KafkaCdc.SinkConnector.Applying;
using KafkaCdc.SinkConnector.Batching;
using KafkaCdc.SinkConnector.Committing;
using KafkaCdc.SinkConnector.Configuration;
using KafkaCdc.SinkConnector.DeadLetters;
using KafkaCdc.SinkConnector.Decoding;
using KafkaCdc.SinkConnector.Destination;
using KafkaCdc.SinkConnector.Errors;
using KafkaCdc.SinkConnector.Monitoring;
using Npgsql;

namespace KafkaCdc.Tests.SinkConnector.Support;

/// <summary>
/// The sink's stages from decoding to committing, without a Kafka consumer: serialized records are decoded by
/// <see cref="ChangeRecordDecoder"/>, batched per partition by <see cref="PartitionBatcher"/> and flushed by
/// <see cref="BatchFlusher"/> into the destination as the sink's user; Kafka commits are recorded. Fast and
/// deterministic, for the behaviour of the applying stage.
/// </summary>
internal sealed class ApplyPipeline : IKafkaOffsetCommit, IAsyncDisposable
{
    readonly Confluent.SchemaRegistry.CachedSchemaRegistryClient _registry;
    readonly NpgsqlDataSource _dataSource;
    readonly DestinationSession _session;
    readonly ChangeRecordDecoder _decoder;
    readonly BatchFlusher _flusher;
    readonly Dictionary<(string, int), long> _nextOffsets = [];

    ApplyPipeline(SinkOptions options)
    {
        Options = options;
        _metrics = new SinkMetrics(options.Name + "." + Guid.NewGuid().ToString("N"));
        Metrics = new SinkMetricValues(_metrics);
        _registry = options.SchemaRegistry.CreateClient();
        _dataSource = new NpgsqlDataSourceBuilder(options.ConnectionString).Build();
        _session = new DestinationSession(_dataSource);
        var logger = Logging.CreateLogger("pipeline");
        var committer = new OffsetCommitter(new SinkOffsetsTable(options.SchemaName, options.GroupId), this, logger);
        var applier = new BatchApplier(options, _session, new RecordShapes(options), new SchemaEvolution(options, logger), new TruncateBarrier(options.SchemaName), committer);
        _flusher = new BatchFlusher(options, _session, applier, new DeadLetterQueue(null, null, options.Name, logger, _metrics), _metrics, 0, logger);
        _decoder = new ChangeRecordDecoder(new AvroDeserializer(_registry), options.TableNameFormat);
    }

    /// <summary>The options.</summary>
    public SinkOptions Options { get; }

    readonly SinkMetrics _metrics;

    /// <summary>What the flusher's metrics recorded.</summary>
    public SinkMetricValues Metrics { get; }

    /// <summary>What was logged.</summary>
    public RecordingLoggerFactory Logging { get; } = new();

    /// <summary>The offsets committed to "Kafka", in order.</summary>
    public List<TopicPartitionOffset> KafkaCommits { get; } = [];

    /// <summary>A pipeline for <paramref name="config"/>, with the offsets and truncate tables created.</summary>
    public static async Task<ApplyPipeline> CreateAsync(IReadOnlyDictionary<string, string> config)
    {
        var pipeline = new ApplyPipeline(SinkConfigs.Options(config));
        await using var connection = await pipeline._dataSource.OpenConnectionAsync();
        await new SinkOffsetsTable(pipeline.Options.SchemaName, pipeline.Options.GroupId).EnsureAsync(connection, CancellationToken.None);
        await new TruncateBarrier(pipeline.Options.SchemaName).EnsureAsync(connection, CancellationToken.None);
        return pipeline;
    }

    void IKafkaOffsetCommit.Commit(TopicPartitionOffset offset) => KafkaCommits.Add(offset);

    /// <summary>
    /// Gives <paramref name="messages"/> the next offsets of their partitions (0 unless set) in the topic, and applies
    /// them as the task does: in batches of <c>batch.size</c>, in order per partition, the batches of all partitions
    /// taken together applied in one transaction.
    /// </summary>
    public async Task ApplyAsync(string topic, IEnumerable<ChangeMessage> messages)
    {
        var batcher = new PartitionBatcher(Options.BatchSize, TimeSpan.FromDays(1));
        foreach (var message in messages)
        {
            var partition = message.Partition ?? 0;
            var offset = _nextOffsets.GetValueOrDefault((topic, partition));
            _nextOffsets[(topic, partition)] = offset + 1;
            var result = new ConsumeResult<byte[]?, byte[]?>
            {
                Topic = topic,
                Partition = partition,
                Offset = offset,
                Message = new Message<byte[]?, byte[]?> { Key = message.Key, Value = message.Value, Headers = [] },
            };
            batcher.Add(await _decoder.DecodeAsync(result, CancellationToken.None));
            if (batcher.TakeDueGroup(Options.BatchSize) is { Count: > 0 } due) await _flusher.FlushAsync(due, CancellationToken.None);
        }
        await _flusher.FlushAsync(batcher.TakeAll(), CancellationToken.None);
    }

    /// <summary>Applies messages given one by one.</summary>
    public Task ApplyAsync(string topic, params ChangeMessage[] messages) => ApplyAsync(topic, (IEnumerable<ChangeMessage>)messages);

    /// <summary>Applies and expects the task to stop; returns why.</summary>
    public async Task<SinkTaskFailedException> ApplyFailingAsync(string topic, params ChangeMessage[] messages)
    {
        try
        {
            await ApplyAsync(topic, messages);
        }
        catch (SinkTaskFailedException e)
        {
            return e;
        }
        Assert.Fail("expected the task to stop with a SinkTaskFailedException");
        return null!;
    }

    public async ValueTask DisposeAsync()
    {
        await _session.DisposeAsync();
        await _dataSource.DisposeAsync();
        _registry.Dispose();
        Metrics.Dispose();
        _metrics.Dispose();
    }
}
