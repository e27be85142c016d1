using Confluent.Kafka;
using KafkaCdc.Shared.Kafka;
using KafkaCdc.Shared.SchemaRegistry;
using KafkaCdc.SinkConnector.Applying;
using KafkaCdc.SinkConnector.Batching;
using KafkaCdc.SinkConnector.Committing;
using KafkaCdc.SinkConnector.Configuration;
using KafkaCdc.SinkConnector.Decoding;
using KafkaCdc.SinkConnector.Destination;
using KafkaCdc.SinkConnector.Errors;
using KafkaCdc.SinkConnector.Monitoring;
using Microsoft.Extensions.Logging;

namespace KafkaCdc.SinkConnector.Consuming;

/// <summary>
/// One task: a Kafka consumer in the sink's group, on a thread of its own, that decodes records, batches them per
/// partition and hands due batches to <see cref="BatchFlusher"/>, grouped with other partitions' open batches up to
/// <c>batch.size</c> records into one transaction (<see cref="PartitionBatcher.TakeDueGroup"/>), one group in flight at
/// a time, so that consuming and decoding the next records overlaps with writing the previous ones. The consume loop, the rebalance handlers (which
/// librdkafka calls inside <c>Consume</c> and <c>Close</c>) and every consumer call run on this thread; a revoked
/// partition's batch in flight is finished and committed before it is given up.
/// </summary>
/// <remarks>
/// <para>Hand-off: <see cref="PartitionBatcher"/> holds at most <c>batch.size</c> records per partition (and four times
/// that in all), and one more group is in flight (owned by the flush until it completes; the thread waits for it before starting another, so
/// batches of a partition are applied in order). librdkafka's prefetch queue (<c>queued.max.messages.kbytes</c>) is the
/// only other buffer, so memory stays bounded. Offsets the flush committed to the database are handed back through
/// <see cref="IKafkaOffsetCommit.Commit"/> (under a lock) and committed to Kafka by this thread once the flush is
/// observed complete.</para>
/// <para>Failure path: a <see cref="SinkTaskFailedException"/> (or any unexpected exception) ends the loop; the task
/// closes its consumer without flushing further and reports the failure through <see cref="Completion"/>, and the worker
/// stops the other tasks. Shutdown (the token) ends the loop; the task then flushes everything pending, commits, and
/// leaves the group.</para>
/// </remarks>
public sealed class SinkTask : IKafkaOffsetCommit
{
    static readonly TimeSpan s_maxPoll = TimeSpan.FromMilliseconds(200);
    static readonly TimeSpan s_statusInterval = TimeSpan.FromSeconds(1);

    readonly int _id;
    readonly SinkTaskContext _context;
    readonly ILogger _logger;
    readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    readonly HashSet<TopicPartition> _assigned = [];
    readonly Dictionary<TopicPartition, long> _applied = [];
    readonly Dictionary<TopicPartition, long> _kafkaBehind = [];
    readonly object _offsetsLock = new();
    Task? _inFlight;
    readonly PartitionBatcher _batcher;
    IConsumer<byte[]?, byte[]?>? _consumer;
    DestinationSession? _session;
    OffsetCommitter? _committer;
    BatchFlusher? _flusher;
    ChangeRecordDecoder? _decoder;
    CancellationToken _stopping;
    Error? _fatal;
    bool _failed;
    volatile string _state = "starting";
    volatile string? _lastError;
    volatile TaskSnapshot? _published;
    DateTime _statusAt;

    /// <summary>Creates task <paramref name="id"/>.</summary>
    public SinkTask(int id, SinkTaskContext context)
    {
        _id = id;
        _context = context;
        _logger = context.LoggerFactory.CreateLogger($"KafkaCdc.SinkConnector.Task{id}");
        _batcher = new PartitionBatcher(context.Options.BatchSize, context.Options.BatchLinger);
    }

    /// <summary>The task's number (0 to <c>tasks.max</c> - 1).</summary>
    public int Id => _id;

    /// <summary>Completes when the task stopped; faulted with the reason when it failed.</summary>
    public Task Completion => _completion.Task;

    /// <summary>Starts the task's thread; it runs until <paramref name="stopping"/> is cancelled or the task fails.</summary>
    public void Start(CancellationToken stopping)
    {
        _stopping = stopping;
        new Thread(Run) { Name = $"kafkacdc-sink-task-{_id}", IsBackground = true }.Start();
    }

    /// <summary>Called by the flush (on a pool thread) once the database committed: Kafka's commit follows on this task's thread.</summary>
    void IKafkaOffsetCommit.Commit(TopicPartitionOffset offset)
    {
        lock (_offsetsLock)
        {
            _applied[offset.TopicPartition] = offset.Offset.Value;
            _kafkaBehind[offset.TopicPartition] = offset.Offset.Value;
        }
    }

    /// <summary>
    /// Commits to Kafka the offsets the database already holds but Kafka does not (a commit that failed during a
    /// rebalance, a partition resumed from the offsets table), so Kafka's view of the group catches up. Best effort: the
    /// offsets table stays the truth whatever happens here.
    /// </summary>
    void CatchUpKafkaCommits(IReadOnlyCollection<TopicPartition>? only = null)
    {
        List<TopicPartitionOffset> due;
        lock (_offsetsLock)
        {
            due = [.. _kafkaBehind.Where(p => _assigned.Contains(p.Key) && (only is null || only.Contains(p.Key)))
                .Select(p => new TopicPartitionOffset(p.Key, p.Value))];
            foreach (var stale in _kafkaBehind.Keys.Where(p => !_assigned.Contains(p)).ToList()) _kafkaBehind.Remove(stale);
        }
        if (due.Count == 0) return;
        try
        {
            _consumer!.Commit(due);
            lock (_offsetsLock)
            {
                foreach (var offset in due)
                {
                    if (_kafkaBehind.GetValueOrDefault(offset.TopicPartition) == offset.Offset.Value) _kafkaBehind.Remove(offset.TopicPartition);
                }
            }
        }
        catch (KafkaException e)
        {
            Log.KafkaCommitFailed(_logger, due[0].Topic, due[0].Partition.Value, due[0].Offset.Value, e.Error.Code, e.Error.Reason);
            _context.Metrics.KafkaCommitFailed();
        }
    }

    void Run()
    {
        try
        {
            Setup();
            Log.TaskStarted(_logger, _id);
            SetState("running");
            Loop();
            SetState("stopping");
            Flush(_batcher.TakeAll());
            AwaitFlush();
            _consumer!.Close();
            Log.TaskStopped(_logger, _id);
            SetState("stopped");
            _completion.SetResult();
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Shutdown during a retry wait: what is not committed is re-delivered to whoever reads the partition next.
            _failed = true;
            CatchUpKafkaCommitsQuietly();
            CloseQuietly();
            SetState("stopped");
            _completion.SetResult();
        }
        catch (Exception e)
        {
            _failed = true;
            _lastError = e.Message;
            Log.TaskFailed(_logger, _id, e.Message, e);
            CatchUpKafkaCommitsQuietly();
            CloseQuietly();
            SetState("failed");
            _completion.SetException(e);
        }
        finally
        {
            // After a failure a batch may still be in flight: let it end before its connection goes.
            if (_inFlight is { } flush)
            {
                ((IAsyncResult)flush).AsyncWaitHandle.WaitOne();
                _ = flush.Exception;
            }
            _consumer?.Dispose();
            _session?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    void Setup()
    {
        var options = _context.Options;
        _session = new DestinationSession(_context.DataSource);
        var barrier = new TruncateBarrier(options.SchemaName);
        _committer = new OffsetCommitter(new SinkOffsetsTable(options.SchemaName, options.GroupId), this, _logger, _context.Metrics.KafkaCommitFailed);
        var applier = new BatchApplier(options, _session, new RecordShapes(options), new SchemaEvolution(options, _logger), barrier, _committer);
        _flusher = new BatchFlusher(options, _session, applier, _context.DeadLetters, _context.Metrics, _id, _logger);
        // Raised on the flush's thread: only the state word changes there; the partitions are this thread's business.
        _flusher.Retrying += error =>
        {
            if (error is not null) _lastError = error;
            _state = error is null ? "running" : "retrying";
            if (_published is { } published) _context.Status.Update(_published = published with { State = _state, LastError = _lastError });
        };
        _decoder = new ChangeRecordDecoder(_context.Deserializer, options.TableNameFormat, keepRaw: options.DeadLetterTopic is not null);

        var config = ConsumerConfigFor(options, _id);
        _consumer = new ConsumerBuilder<byte[]?, byte[]?>(config)
            .SetLogger(_logger, error => _fatal = error)
            .SetPartitionsAssignedHandler(OnAssigned)
            .SetPartitionsRevokedHandler(OnRevoked)
            .SetPartitionsLostHandler(OnLost)
            .Build();
        if (options.TopicsRegex is { } regex) _consumer.Subscribe(Configuration.SinkOptions.Anchored(regex));
        else _consumer.Subscribe(options.Topics);
    }

    /// <summary>
    /// The consumer configuration of task <paramref name="taskId"/>: <c>kafka.*</c> with the connector's own keys, and
    /// the defaults the sink changes (each only when <c>kafka.*</c> does not set it). Public for the benchmark, which
    /// times a plain consumer configured exactly like a task.
    /// </summary>
    public static ConsumerConfig ConsumerConfigFor(Configuration.SinkOptions options, int taskId)
    {
        var config = options.Kafka.CreateConsumerConfig(options.ConsumerOwnedProperties);
        var configured = options.Kafka.Properties;
        if (!configured.ContainsKey("client.id")) config.ClientId = $"kafkacdc-sink-{options.Name}-{taskId}";
        if (!configured.ContainsKey("auto.offset.reset")) config.AutoOffsetReset = AutoOffsetReset.Earliest;
        if (!configured.ContainsKey("queued.max.messages.kbytes")) config.QueuedMaxMessagesKbytes = 16 * 1024;
        // Once the prefetch queue is full, librdkafka postpones each partition's next fetch by this much (1 s by
        // default): a task that drains the queue faster than that starves until the backoff ends.
        if (!configured.ContainsKey("fetch.queue.backoff.ms")) config.FetchQueueBackoffMs = FetchQueueBackoffMs;
        // A topics.regex subscription only notices new topics when metadata is refreshed, by default every 5 minutes:
        // a table the source starts capturing would wait that long. Refresh every few seconds instead.
        if (options.TopicsRegex is not null && !configured.ContainsKey("topic.metadata.refresh.interval.ms"))
            config.TopicMetadataRefreshIntervalMs = TopicsRegexMetadataRefreshMs;
        // Timestamps are never used, headers only for the dead-letter topic: not marshalling them saves work per record.
        if (!configured.ContainsKey("dotnet.consumer.consume.result.fields")) config.ConsumeResultFields = options.DeadLetterTopic is null ? "topic" : "topic,headers";
        return config;
    }

    /// <summary>librdkafka's <c>fetch.queue.backoff.ms</c> for the task's consumer, unless <c>kafka.fetch.queue.backoff.ms</c> says otherwise.</summary>
    internal const int FetchQueueBackoffMs = 50;

    /// <summary>How often a <c>topics.regex</c> subscription looks for new matching topics, unless <c>kafka.topic.metadata.refresh.interval.ms</c> says otherwise.</summary>
    internal const int TopicsRegexMetadataRefreshMs = 5000;

    void Loop()
    {
        while (!_stopping.IsCancellationRequested)
        {
            if (_fatal is { } fatal) throw new SinkTaskFailedException($"the Kafka consumer failed fatally ({fatal.Code}: {fatal.Reason})", null, new KafkaException(fatal));
            var wait = _batcher.TimeUntilDue() is { } due && due < s_maxPoll ? due : s_maxPoll;
            ConsumeResult<byte[]?, byte[]?>? result;
            try
            {
                result = _consumer!.Consume(wait);
            }
            catch (ConsumeException e) when (!e.Error.IsFatal)
            {
                Log.ConsumeError(_logger, _id, e.Error.Code, e.Error.Reason);
                result = null;
            }

            if (result is { IsPartitionEOF: false }) _batcher.Add(Decode(result));
            if (_batcher.TakeDueGroup(_context.Options.BatchSize) is { Count: > 0 } group) Flush(group);
            if (_inFlight is { IsCompleted: true }) AwaitFlush();
            if (DateTime.UtcNow - _statusAt >= s_statusInterval)
            {
                CatchUpKafkaCommits();
                SetState(_state);
            }
        }
    }

    ChangeRecord Decode(ConsumeResult<byte[]?, byte[]?> result)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var decoding = _decoder!.DecodeAsync(result, _stopping);
                return decoding.IsCompletedSuccessfully ? decoding.Result : decoding.AsTask().GetAwaiter().GetResult();
            }
            catch (HttpRequestException e) when (RegistryFailures.IsTransient(e))
            {
                var delay = TimeSpan.FromMilliseconds(Math.Min(_context.Options.RetryDelayMax.TotalMilliseconds, 200 * Math.Pow(2, Math.Min(attempt, 20))));
                Log.RegistryRetry(_logger, _id, result.Topic, result.Partition.Value, result.Offset.Value, delay.TotalMilliseconds, e);
                _lastError = e.Message;
                SetState("retrying");
                Task.Delay(delay, _stopping).GetAwaiter().GetResult();
            }
            catch (HttpRequestException e)
            {
                throw new SinkTaskFailedException(
                    $"the schema registry refused to give the schema of record {result.Topic}/{result.Partition.Value}/{result.Offset.Value}: {RegistryFailures.Describe(e)}",
                    result.TopicPartitionOffset, e);
            }
        }
    }

    /// <summary>Starts applying <paramref name="batches"/> (in one transaction) once the flush in flight is through (see the class remarks).</summary>
    void Flush(List<PartitionBatch> batches)
    {
        if (batches.Count == 0) return;
        WaitForFlush();
        foreach (var batch in batches) _context.Metrics.RecordsConsumed(batch.Partition.Topic, batch.Records.Count);
        _inFlight = Task.Run(() => _flusher!.FlushAsync(batches, _stopping));
        // Kafka's commit of what the last flush committed to the database waits for the broker: not on the database's time.
        CatchUpKafkaCommits();
    }

    /// <summary>Waits for the batch in flight (its failure is thrown here), then commits to Kafka what it committed to the database.</summary>
    void AwaitFlush()
    {
        WaitForFlush();
        CatchUpKafkaCommits();
    }

    void WaitForFlush()
    {
        if (_inFlight is { } flush)
        {
            _inFlight = null;
            // A plain blocking wait: the flush takes milliseconds, spinning for it only burns the CPU it needs.
            if (!flush.IsCompleted) ((IAsyncResult)flush).AsyncWaitHandle.WaitOne();
            flush.GetAwaiter().GetResult();
        }
    }

    void CatchUpKafkaCommitsQuietly()
    {
        try
        {
            CatchUpKafkaCommits();
        }
        catch (Exception e) when (e is KafkaException or ObjectDisposedException or InvalidOperationException)
        {
            // The task stops for another reason; the offsets table holds what Kafka may lack.
            _ = e;
        }
    }

    IEnumerable<TopicPartitionOffset> OnAssigned(IConsumer<byte[]?, byte[]?> consumer, List<TopicPartition> partitions)
    {
        Log.PartitionsAssigned(_logger, _id, Describe(partitions));
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                // A connection of its own: the batch in flight (of other partitions) may be using the task's session.
                using var connection = _context.DataSource.OpenConnection();
                IReadOnlyList<TopicPartitionOffset>? committed = null;
                var offsets = _committer!.ResumeOffsetsAsync(connection, partitions,
                    wanted => committed = consumer.Committed(wanted, TimeSpan.FromSeconds(30)), _stopping).GetAwaiter().GetResult();
                committed ??= consumer.Committed(partitions, TimeSpan.FromSeconds(30));
                lock (_offsetsLock)
                {
                    foreach (var partition in partitions) _assigned.Add(partition);
                    // Where each partition stands, for the lag in /status until its first batch commits.
                    foreach (var offset in offsets.Concat(committed).Where(o => !o.Offset.IsSpecial))
                        _applied[offset.TopicPartition] = Math.Max(offset.Offset.Value, _applied.GetValueOrDefault(offset.TopicPartition));
                    foreach (var resumed in offsets.Where(o => !o.Offset.IsSpecial)) _kafkaBehind[resumed.TopicPartition] = resumed.Offset.Value;
                }
                SetState(_state);
                return offsets;
            }
            catch (Exception e) when (SinkErrorClassifier.Classify(e) == FailureKind.Transient && !_stopping.IsCancellationRequested)
            {
                var delay = TimeSpan.FromMilliseconds(Math.Min(_context.Options.RetryDelayMax.TotalMilliseconds, 200 * Math.Pow(2, Math.Min(attempt, 20))));
                Log.PrepareRetry(_logger, delay.TotalMilliseconds, e);
                Task.Delay(delay, _stopping).GetAwaiter().GetResult();
            }
        }
    }

    void OnRevoked(IConsumer<byte[]?, byte[]?> consumer, List<TopicPartitionOffset> partitions)
    {
        var revoked = partitions.Select(p => p.TopicPartition).ToList();
        if (_failed)
        {
            _batcher.Drop(revoked);
        }
        else
        {
            Flush(_batcher.TakeAll(revoked));
            AwaitFlush();
        }
        Forget(revoked);
        Log.PartitionsRevoked(_logger, _id, Describe(revoked));
    }

    void OnLost(IConsumer<byte[]?, byte[]?> consumer, List<TopicPartitionOffset> partitions)
    {
        var lost = partitions.Select(p => p.TopicPartition).ToList();
        if (!_failed) AwaitFlush();
        _batcher.Drop(lost);
        Forget(lost);
        Log.PartitionsLost(_logger, _id, Describe(lost));
    }

    void Forget(List<TopicPartition> partitions)
    {
        lock (_offsetsLock)
        {
            foreach (var partition in partitions)
            {
                _assigned.Remove(partition);
                _applied.Remove(partition);
                _kafkaBehind.Remove(partition);
            }
        }
        SetState(_state);
    }

    void CloseQuietly()
    {
        try
        {
            _consumer?.Close();
        }
        catch (Exception e) when (e is KafkaException or InvalidOperationException or OperationCanceledException or SinkTaskFailedException)
        {
            // The task is already stopping for another reason, which is what gets reported; leaving the group is best effort.
            _ = e;
        }
    }

    void SetState(string state)
    {
        _state = state;
        _statusAt = DateTime.UtcNow;
        var partitions = new List<PartitionSnapshot>(_assigned.Count);
        foreach (var partition in _assigned.OrderBy(p => p.Topic, StringComparer.Ordinal).ThenBy(p => p.Partition.Value))
        {
            long? next;
            lock (_offsetsLock) next = _applied.TryGetValue(partition, out var applied) ? applied : null;
            long? high = null;
            try
            {
                var watermarks = _consumer?.GetWatermarkOffsets(partition);
                if (watermarks is { High.IsSpecial: false }) high = watermarks.High.Value;
                if (next is null && _consumer?.Position(partition) is { IsSpecial: false } position) next = position.Value;
            }
            catch (KafkaException)
            {
                // Not fetched yet: lag unknown for now.
            }
            long? lag = high is { } h && next is { } n ? Math.Max(0, h - n) : null;
            if (lag is { } known) _context.Metrics.SetLag(partition.Topic, partition.Partition.Value, known);
            partitions.Add(new PartitionSnapshot(partition.Topic, partition.Partition.Value, next, high, lag));
        }
        _context.Status.Update(_published = new TaskSnapshot(_id, state, partitions, _lastError));
    }

    static string Describe(IEnumerable<TopicPartition> partitions) =>
        string.Join(", ", partitions.Select(p => $"{p.Topic}/{p.Partition.Value}"));
}
