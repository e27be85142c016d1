using System.Diagnostics;
using KafkaCdc.SinkConnector.Batching;
using KafkaCdc.SinkConnector.Configuration;
using KafkaCdc.SinkConnector.Decoding;
using KafkaCdc.SinkConnector.Errors;
using KafkaCdc.SinkConnector.Hosting;
using Microsoft.Extensions.Logging;

namespace KafkaCdc.SinkConnector.Applying;

/// <summary>
/// Gets one partition batch into the database and committed, whatever it takes, and decides what a failure means
/// through <see cref="SinkErrorClassifier"/>: transient failures roll back and retry the whole batch with capped
/// exponential backoff (nothing committed meanwhile); a record-level failure re-applies the batch record by record to
/// find the record(s) at fault, which stop the task (<c>errors.tolerance=none</c>, after committing the records before
/// it) or go to the dead-letter topic (<c>all</c>); anything else stops the task.
/// </summary>
/// <remarks>
/// Database work runs to completion even during shutdown (the batch in flight is finished); only the waits between
/// retries end early on shutdown, leaving the batch uncommitted, to be re-delivered. Every failure resets the
/// <see cref="DestinationSession"/>, so a retry starts on a fresh connection and re-reads the catalog.
/// </remarks>
public sealed class BatchFlusher
{
    static readonly TimeSpan s_firstRetryDelay = TimeSpan.FromMilliseconds(100);

    readonly SinkOptions _options;
    readonly DestinationSession _session;
    readonly BatchApplier _applier;
    readonly DeadLetterQueue _deadLetters;
    readonly SinkMetrics _metrics;
    readonly int _taskId;
    readonly ILogger _logger;

    /// <summary>Creates the flusher of task <paramref name="taskId"/>.</summary>
    public BatchFlusher(SinkOptions options, DestinationSession session, BatchApplier applier, DeadLetterQueue deadLetters,
        SinkMetrics metrics, int taskId, ILogger logger)
    {
        _options = options;
        _session = session;
        _applier = applier;
        _deadLetters = deadLetters;
        _metrics = metrics;
        _taskId = taskId;
        _logger = logger;
    }

    /// <summary>Reported while a batch is being retried (the task shows it in <c>/status</c>); null once it is through.</summary>
    public event Action<string?>? Retrying;

    /// <summary>Applies and commits <paramref name="batch"/>.</summary>
    /// <exception cref="SinkTaskFailedException">The task must stop; everything before the record at fault is committed.</exception>
    /// <exception cref="OperationCanceledException">Shutdown came during a retry wait; the batch is not committed.</exception>
    public async Task FlushAsync(PartitionBatch batch, CancellationToken stopping)
    {
        var isolate = batch.Records.Any(r => r.Operation == ChangeOperation.Failed);
        var stopAtFailure = _options.ErrorTolerance == ErrorTolerance.None;
        for (var attempt = 1; ; attempt++)
        {
            var started = Stopwatch.GetTimestamp();
            IReadOnlyList<RecordFailure> failures = [];
            try
            {
                WriteCounts counts;
                if (isolate)
                {
                    (failures, counts) = await _applier.ApplyIsolatingAsync(batch, stopAtFailure,
                        (found, cancellationToken) => _deadLetters.SendAsync(found, _taskId, cancellationToken), CancellationToken.None);
                }
                else
                {
                    counts = await _applier.ApplyAsync(batch, CancellationToken.None);
                }
                _metrics.BatchCommitted(counts, Stopwatch.GetElapsedTime(started));
                foreach (var (table, rows) in counts.UnavailableAsNull)
                    Log.UnavailableValuesWrittenAsNull(_logger, rows, table, batch.ToString());
                Log.BatchApplied(_logger, batch.Partition.Topic, batch.Partition.Partition.Value, batch.Records.Count, counts.TotalRows,
                    Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
            catch (Exception e)
            {
                await _session.ResetAsync();
                var kind = SinkErrorClassifier.Classify(e);
                if (kind == FailureKind.Record && !isolate)
                {
                    Log.IsolatingBatch(_logger, batch.ToString(), e.Message);
                    isolate = true;
                    continue;
                }
                if (kind != FailureKind.Transient)
                    throw new SinkTaskFailedException($"task {_taskId} cannot write batch {batch}: {e.Message}", null, e);

                var delay = Backoff(attempt);
                _metrics.Retried();
                Log.RetryingBatch(_logger, batch.ToString(), attempt, delay.TotalMilliseconds, e);
                Retrying?.Invoke(e.Message);
                await Task.Delay(delay, stopping);
                continue;
            }

            if (attempt > 1) Retrying?.Invoke(null);
            if (failures.Count > 0 && stopAtFailure)
            {
                var failure = failures[0];
                throw new SinkTaskFailedException(
                    $"{failure.Describe()}. errors.tolerance=none stops the task; the records before it are committed. " +
                    "Fix the cause and restart, or set errors.tolerance=all (with errors.deadletterqueue.topic.name) to set such records aside",
                    failure.Record.Position, failure.Exception);
            }
            return;
        }
    }

    /// <summary>
    /// Applies and commits <paramref name="batches"/> (of several partitions) in one transaction, which saves a
    /// transaction, an offsets-table round trip and a COPY per batch. Batches with undecodable records, and every batch
    /// of a group that fails on a record, are applied one by one through <see cref="FlushAsync(PartitionBatch, CancellationToken)"/>
    /// instead, so that the record at fault is singled out and the batches of other partitions still commit.
    /// </summary>
    /// <exception cref="SinkTaskFailedException">The task must stop; the batches before the one at fault are committed.</exception>
    /// <exception cref="OperationCanceledException">Shutdown came during a retry wait; the batches are not committed.</exception>
    public async Task FlushAsync(IReadOnlyList<PartitionBatch> batches, CancellationToken stopping)
    {
        if (batches.Count <= 1 || batches.Any(b => b.Records.Any(r => r.Operation == ChangeOperation.Failed)))
        {
            await FlushOneByOneAsync(batches, stopping);
            return;
        }
        var description = Describe(batches);
        for (var attempt = 1; ; attempt++)
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                var counts = await _applier.ApplyAsync(batches, CancellationToken.None);
                _metrics.BatchCommitted(counts, Stopwatch.GetElapsedTime(started));
                foreach (var (table, rows) in counts.UnavailableAsNull)
                    Log.UnavailableValuesWrittenAsNull(_logger, rows, table, description);
                Log.BatchesApplied(_logger, description, batches.Sum(b => b.Records.Count), counts.TotalRows, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
            catch (Exception e)
            {
                await _session.ResetAsync();
                var kind = SinkErrorClassifier.Classify(e);
                if (kind == FailureKind.Record)
                {
                    Log.IsolatingBatch(_logger, description, e.Message);
                    await FlushOneByOneAsync(batches, stopping);
                    return;
                }
                if (kind != FailureKind.Transient)
                    throw new SinkTaskFailedException($"task {_taskId} cannot write batches {description}: {e.Message}", null, e);

                var delay = Backoff(attempt);
                _metrics.Retried();
                Log.RetryingBatch(_logger, description, attempt, delay.TotalMilliseconds, e);
                Retrying?.Invoke(e.Message);
                await Task.Delay(delay, stopping);
                continue;
            }

            if (attempt > 1) Retrying?.Invoke(null);
            return;
        }
    }

    async Task FlushOneByOneAsync(IReadOnlyList<PartitionBatch> batches, CancellationToken stopping)
    {
        foreach (var batch in batches) await FlushAsync(batch, stopping);
    }

    static string Describe(IReadOnlyList<PartitionBatch> batches) =>
        batches.Count <= 3 ? string.Join(", ", batches) : $"{string.Join(", ", batches.Take(3))} and {batches.Count - 3} more";

    TimeSpan Backoff(int attempt)
    {
        var ceiling = Math.Min(_options.RetryDelayMax.TotalMilliseconds, s_firstRetryDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt - 1, 30)));
        return TimeSpan.FromMilliseconds(ceiling / 2 + Random.Shared.NextDouble() * ceiling / 2);
    }
}
