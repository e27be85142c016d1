using Confluent.Kafka;
using KafkaCdc.Shared.SchemaRegistry.Serdes;
using KafkaCdc.SinkConnector.Applying;
using KafkaCdc.SinkConnector.Batching;
using KafkaCdc.SinkConnector.Committing;
using KafkaCdc.SinkConnector.Configuration;
using KafkaCdc.SinkConnector.DeadLetters;
using KafkaCdc.SinkConnector.Decoding;
using KafkaCdc.SinkConnector.Destination;
using KafkaCdc.SinkConnector.Monitoring;
using Npgsql;

namespace KafkaCdc.Tests.SinkConnector.Support;

/// <summary>
/// The sink's stages from decoding to committing, without a Kafka consumer: serialized records are decoded by
/// <see cref="ChangeRecordDecoder"/>, batched per partition by <see cref="PartitionBatcher"/> and flushed by
/// <see cref="BatchFlusher"/> into the destination as the sink's user; Kafka commits are recorded, and a table the flush
/// stops (<c>errors.tolerance=none</c>) is stopped as the task stops it: its topic's later records are not applied. Fast
/// and deterministic, for the behaviour of the applying stage.
/// </summary>
internal sealed class ApplyPipeline : IKafkaOffsetCommit, IAsyncDisposable
{
    readonly Confluent.SchemaRegistry.CachedSchemaRegistryClient _registry;
    readonly NpgsqlDataSource _dataSource;
    readonly DestinationSession _session;
    readonly ChangeRecordDecoder _decoder;
    readonly BatchFlusher _flusher;
    readonly Dictionary<(string, int), long> _nextOffsets = [];
    readonly HashSet<string> _stoppedTopics = [];

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
        var applier = new BatchApplier(options, _session, new RecordShapes(options), new SchemaEvolution(options, logger), new TruncateBarrier(options.SchemaName), committer, logger);
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

    /// <summary>The records at which tables stopped, in order.</summary>
    public List<RecordFailure> Stops { get; } = [];

    /// <summary>A pipeline for <paramref name="config"/>, with the offsets and truncate tables created.</summary>
    public static async Task<ApplyPipeline> CreateAsync(IReadOnlyDictionary<string, string> config)
    {
        var pipeline = new ApplyPipeline(SinkConfigs.Options(config));
        await using var connection = await pipeline._dataSource.OpenConnectionAsync();
        await new SinkOffsetsTable(pipeline.Options.SchemaName, pipeline.Options.GroupId).EnsureAsync(connection, CancellationToken.None);
        await new TruncateBarrier(pipeline.Options.SchemaName).EnsureAsync(connection, CancellationToken.None);
        await new SinkSnapshotsTable(pipeline.Options.SchemaName).EnsureAsync(connection, CancellationToken.None);
        return pipeline;
    }

    void IKafkaOffsetCommit.Commit(TopicPartitionOffset offset) => KafkaCommits.Add(offset);

    /// <summary>
    /// Gives <paramref name="messages"/> the next offsets of their partitions (0 unless set) in the topic, and applies
    /// them as the task does: in batches of <c>batch.size</c>, in order per partition, the batches of all partitions
    /// taken together applied in one transaction.
    /// </summary>
    public Task ApplyAsync(string topic, IEnumerable<ChangeMessage> messages) => ApplyAsync(messages.Select(m => (topic, m)));

    /// <summary><see cref="ApplyAsync(string, IEnumerable{ChangeMessage})"/> for messages of several topics, in one batcher.</summary>
    public async Task ApplyAsync(IEnumerable<(string Topic, ChangeMessage Message)> messages)
    {
        var batcher = new PartitionBatcher(Options.BatchSize, TimeSpan.FromDays(1));
        foreach (var (topic, message) in messages)
        {
            var partition = message.Partition ?? 0;
            var offset = _nextOffsets.GetValueOrDefault((topic, partition));
            _nextOffsets[(topic, partition)] = offset + 1;
            var result = new ConsumeResult<byte[]?, byte[]?>
            {
                Topic = topic,
                Partition = partition,
                Offset = offset,
                Message = new Message<byte[]?, byte[]?>
                {
                    Key = message.Key,
                    Value = message.Value,
                    Headers = message.Headers(),
                },
            };
            if (_stoppedTopics.Contains(topic)) continue; // the task paused the topic's partitions
            batcher.Add(await _decoder.DecodeAsync(result, CancellationToken.None));
            if (batcher.TakeDueGroup(Options.BatchSize) is { Count: > 0 } due) await FlushAsync(batcher, due);
        }
        await FlushAsync(batcher, batcher.TakeAll());
    }

    async Task FlushAsync(PartitionBatcher batcher, List<PartitionBatch> batches)
    {
        var outcome = await _flusher.FlushAsync([.. batches.Where(b => !_stoppedTopics.Contains(b.Partition.Topic))], CancellationToken.None);
        foreach (var stop in outcome.Stops)
        {
            Stops.Add(stop);
            _stoppedTopics.Add(stop.Record.Topic);
            batcher.Drop(_nextOffsets.Keys.Where(k => k.Item1 == stop.Record.Topic).Select(k => new TopicPartition(k.Item1, k.Item2)));
        }
    }

    /// <summary>Applies messages given one by one.</summary>
    public Task ApplyAsync(string topic, params ChangeMessage[] messages) => ApplyAsync(topic, (IEnumerable<ChangeMessage>)messages);

    /// <summary>Applies and expects a table to stop (<c>errors.tolerance=none</c>); returns the record at which it stopped.</summary>
    public async Task<RecordFailure> ApplyStoppingAsync(string topic, params ChangeMessage[] messages)
    {
        var before = Stops.Count;
        await ApplyAsync(topic, messages);
        Assert.That(Stops, Has.Count.GreaterThan(before), "expected a record to stop its table");
        return Stops[before];
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
