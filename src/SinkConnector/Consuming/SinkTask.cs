using Confluent.Kafka;
using KafkaCdc.Shared.Failures;
using KafkaCdc.Shared.Kafka;
using KafkaCdc.Shared.SchemaRegistry;
using KafkaCdc.SinkConnector.Applying;
using KafkaCdc.SinkConnector.Batching;
using KafkaCdc.SinkConnector.Committing;
using KafkaCdc.SinkConnector.Configuration;
using KafkaCdc.SinkConnector.Decoding;
using KafkaCdc.SinkConnector.Destination;
using KafkaCdc.SinkConnector.Errors;
using Microsoft.Extensions.Logging;

namespace KafkaCdc.SinkConnector.Consuming;

/// <summary>
/// One task: a Kafka consumer in the sink's group, on a thread of its own, that decodes records, batches them per
/// partition and hands due batches, grouped with other partitions' open batches up to <c>batch.size</c> records into one
/// transaction (<see cref="PartitionBatcher.TakeDueGroup"/>), to <see cref="FlushScheduler"/>, so that consuming and
/// decoding the next records overlaps with writing the previous ones. The consume loop, the rebalance handlers (which
/// librdkafka calls inside <c>Consume</c> and <c>Close</c>) and every consumer call run on this thread; a revoked
/// partition's batch in flight is finished and committed before it is given up. Commit tracking is
/// <see cref="PartitionOffsets"/>'s job, <c>/status</c> <see cref="TaskStatusReporter"/>'s.
/// </summary>
/// <remarks>
/// <para>Hand-off: <see cref="PartitionBatcher"/> holds at most <c>batch.size</c> records per partition (and four times
/// that in all), <see cref="FlushScheduler"/> one more group in flight, and librdkafka's prefetch queue
/// (<c>queued.max.messages.kbytes</c>) is the only other buffer, so memory stays bounded. Offsets the flush committed
/// to the database come back through <see cref="PartitionOffsets"/>, and this thread commits them to Kafka.</para>
/// <para>Failure path: a record that cannot be written under <c>errors.tolerance=none</c> stops only its table
/// (<see cref="TableStops"/>): the flush returns it (<see cref="FlushOutcome"/>), and this thread pauses the topic's
/// partitions, positions them at their first record not applied, drops their batched records and logs the stop once;
/// the loop goes on with the other partitions, idle if none is left. Records the broker deleted before the task read
/// them stop the table the same way, or are skipped and counted (<see cref="OffsetGaps"/>). A <see cref="SinkTaskFailedException"/> (or any
/// unexpected exception) ends the loop; the task closes its consumer without flushing further and reports the failure
/// through <see cref="Completion"/>, and the worker stops the other tasks. Shutdown (the token) ends the loop; the task
/// then flushes everything pending, commits, and leaves the group.</para>
/// </remarks>
public sealed class SinkTask
{
    static readonly TimeSpan s_maxPoll = TimeSpan.FromMilliseconds(200);

    readonly int _id;
    readonly SinkTaskContext _context;
    readonly ILogger _logger;
    readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    readonly PartitionBatcher _batcher;
    readonly PartitionOffsets _offsets;
    readonly TaskStatusReporter _status;
    readonly TableStops _stops = new();
    readonly OffsetGaps _gaps;
    IConsumer<byte[]?, byte[]?>? _consumer;
    DestinationSession? _session;
    OffsetCommitter? _committer;
    FlushScheduler? _flushes;
    ChangeRecordDecoder? _decoder;
    CancellationToken _stopping;
    Error? _fatal;
    bool _failed;

    /// <summary>Creates task <paramref name="id"/>.</summary>
    public SinkTask(int id, SinkTaskContext context)
    {
        _id = id;
        _context = context;
        _logger = context.LoggerFactory.CreateLogger($"KafkaCdc.SinkConnector.Task{id}");
        _batcher = new PartitionBatcher(context.Options.BatchSize, context.Options.BatchLinger);
        _offsets = new PartitionOffsets(context.Metrics, _logger);
        _gaps = new OffsetGaps(id, context.Options, context.Metrics, _logger);
        _status = new TaskStatusReporter(id, context.Status, context.Metrics, _offsets, _stops, _gaps);
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

    void Run()
    {
        try
        {
            Setup();
            Log.TaskStarted(_logger, _id);
            _status.Set("running", _consumer);
            Loop();
            _status.Set("stopping", _consumer);
            Flush(_batcher.TakeAll());
            AwaitFlush();
            _consumer!.Close();
            Log.TaskStopped(_logger, _id);
            _status.Set("stopped", _consumer);
            _completion.SetResult();
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Shutdown during a retry wait: what is not committed is re-delivered to whoever reads the partition next.
            _failed = true;
            _offsets.CatchUpQuietly(_consumer);
            CloseQuietly();
            _status.Set("stopped", _consumer);
            _completion.SetResult();
        }
        catch (Exception e)
        {
            _failed = true;
            _status.LastError = e.Message;
            Log.TaskFailed(_logger, _id, e.Message, e);
            _offsets.CatchUpQuietly(_consumer);
            CloseQuietly();
            _status.Set("failed", _consumer);
            _completion.SetException(e);
        }
        finally
        {
            // After a failure a batch may still be in flight: let it end before its connection goes.
            _flushes?.WaitQuietly();
            _consumer?.Dispose();
            _session?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    void Setup()
    {
        var options = _context.Options;
        _session = new DestinationSession(_context.DataSource, _context.Options.Connection, _logger);
        var barrier = new TruncateBarrier(options.SchemaName);
        _committer = new OffsetCommitter(new SinkOffsetsTable(options.SchemaName, options.GroupId), _offsets, _logger, _context.Metrics.KafkaCommitFailed);
        var applier = new BatchApplier(options, _session, new RecordShapes(options), new SchemaEvolution(options, _logger), barrier, _committer, _logger);
        var flusher = new BatchFlusher(options, _session, applier, _context.DeadLetters, _context.Metrics, _id, _logger);
        flusher.Retrying += _status.OnRetrying;
        _flushes = new FlushScheduler(flusher, _context.Metrics, _stopping);
        _decoder = new ChangeRecordDecoder(_context.Deserializer, options.TableNameFormat, keepRaw: options.DeadLetterTopic is not null);

        var config = TaskConsumerConfig.For(options, _id);
        _consumer = new ConsumerBuilder<byte[]?, byte[]?>(config)
            .SetLogger(_logger, error => _fatal = error)
            .SetPartitionsAssignedHandler(OnAssigned)
            .SetPartitionsRevokedHandler(OnRevoked)
            .SetPartitionsLostHandler(OnLost)
            .Build();
        if (options.TopicsRegex is { } regex) _consumer.Subscribe(SinkOptions.Anchored(regex));
        else _consumer.Subscribe(options.Topics);
    }

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

            if (result is { IsPartitionEOF: false })
            {
                // A paused partition's record fetched before the pause: not applied, its position held at it.
                if (_stops.IsPaused(result.TopicPartition)) _stops.Hold(result.TopicPartition, result.Offset.Value, _consumer!);
                // Records before it deleted unread (a gap): its table stopped, or the gap skipped (OffsetGaps).
                else if (_gaps.Accept(result, _offsets.Assigned, _stops, _batcher, _status, _consumer!)) _batcher.Add(Decode(result));
                else _status.Refresh(_consumer);
            }
            if (_batcher.TakeDueGroup(_context.Options.BatchSize) is { Count: > 0 } group) Flush(group);
            if (_flushes!.HasCompleted) AwaitFlush();
            if (_status.IsDue)
            {
                _offsets.CatchUp(_consumer);
                _status.Refresh(_consumer);
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
                var record = decoding.IsCompletedSuccessfully ? decoding.Result : decoding.AsTask().GetAwaiter().GetResult();
                if (attempt > 1) _status.Set("running", _consumer); // the registry answered again
                return record;
            }
            catch (HttpRequestException e) when (RegistryFailures.IsTransient(e))
            {
                var delay = _context.Options.RetryBackoff.Delay(attempt);
                Log.RegistryRetry(_logger, _id, result.Topic, result.Partition.Value, result.Offset.Value, delay.TotalMilliseconds, e);
                _status.LastError = e.Message;
                _status.Set("retrying", _consumer);
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

    /// <summary>
    /// Starts applying <paramref name="batches"/> (in one transaction) once the flush in flight is through (see the class
    /// remarks), without the batches of tables that flush stopped.
    /// </summary>
    void Flush(List<PartitionBatch> batches)
    {
        if (batches.Count == 0) return;
        StopTables(_flushes!.Wait());
        if (_stops.Count > 0) batches = _stops.WithoutPaused(batches, _consumer!);
        if (batches.Count == 0) return;
        _flushes.Start(batches);
        // Kafka's commit of what the last flush committed to the database waits for the broker: not on the database's time.
        _offsets.CatchUp(_consumer);
    }

    /// <summary>Waits for the batch in flight (its failure is thrown here), then commits to Kafka what it committed to the database.</summary>
    void AwaitFlush()
    {
        StopTables(_flushes!.Wait());
        _offsets.CatchUp(_consumer);
    }

    /// <summary>
    /// Stops the tables a flush could not write (<see cref="TableStops"/>): pauses their partitions, drops their records
    /// still batched and holds each partition at its first record not applied; logs each new stop once.
    /// </summary>
    void StopTables(FlushOutcome outcome)
    {
        if (outcome.Stops.Count == 0) return;
        foreach (var (failure, paused) in _stops.Stop(outcome, _offsets.Assigned, _batcher, _consumer!))
        {
            var record = failure.Record;
            var table = record.Table ?? $"(unknown: the record of topic {record.Topic} could not be decoded)";
            Log.TableStopped(_logger, _id, table, record.Topic, record.Partition, record.Offset, failure.Exception.Message, Describe(paused), failure.Exception);
            _status.LastError = $"table {table} stopped at record {record.Describe()}: {failure.Exception.Message}";
        }
        _status.Refresh(_consumer);
    }

    IEnumerable<TopicPartitionOffset> OnAssigned(IConsumer<byte[]?, byte[]?> consumer, List<TopicPartition> partitions)
    {
        Log.PartitionsAssigned(_logger, _id, Describe(partitions));
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                // A connection of its own: the batch in flight (of other partitions) may be using the task's session.
                _context.Options.Connection.EnsureReachableAsync(_logger, _stopping).GetAwaiter().GetResult();
                using var connection = _context.DataSource.OpenConnection();
                IReadOnlyList<TopicPartitionOffset>? committed = null;
                var offsets = _committer!.ResumeOffsetsAsync(connection, partitions,
                    wanted => committed = consumer.Committed(wanted, TimeSpan.FromSeconds(30)), _stopping).GetAwaiter().GetResult();
                committed ??= consumer.Committed(partitions, TimeSpan.FromSeconds(30));
                _offsets.Assign(partitions, offsets, committed);
                _gaps.Assign(offsets, committed);
                _status.Refresh(_consumer);
                return offsets;
            }
            catch (Exception e) when (SinkErrorClassifier.Classify(e) == FailureKind.Transient && !_stopping.IsCancellationRequested)
            {
                var delay = _context.Options.RetryBackoff.Delay(attempt);
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
        _stops.Forget(partitions, _consumer);
        _offsets.Forget(partitions);
        _gaps.Forget(partitions);
        _status.Refresh(_consumer);
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

    static string Describe(IEnumerable<TopicPartition> partitions) =>
        string.Join(", ", partitions.Select(p => $"{p.Topic}/{p.Partition.Value}"));
}
