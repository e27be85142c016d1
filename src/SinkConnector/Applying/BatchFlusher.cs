using System.Diagnostics;
using KafkaCdc.Shared.Failures;
using KafkaCdc.SinkConnector.Batching;
using KafkaCdc.SinkConnector.Configuration;
using KafkaCdc.SinkConnector.DeadLetters;
using KafkaCdc.SinkConnector.Decoding;
using KafkaCdc.SinkConnector.Destination;
using KafkaCdc.SinkConnector.Errors;
using KafkaCdc.SinkConnector.Monitoring;
using Microsoft.Extensions.Logging;

namespace KafkaCdc.SinkConnector.Applying;

/// <summary>
/// Gets one partition batch into the database and committed, whatever it takes, and decides what a failure means
/// through <see cref="SinkErrorClassifier"/>: transient failures roll back and retry the whole batch with capped
/// exponential backoff (nothing committed meanwhile); a record-level failure re-applies the batch record by record to
/// find the record(s) at fault, which stop their table (<c>errors.tolerance=none</c>: the records before it are committed,
/// it and its topic's later batches are not, and the failure is returned for the task to pause the topic's partitions)
/// or go to the dead-letter topic (<c>all</c>); anything else stops the task.
/// </summary>
/// <remarks>
/// Database work runs to completion even during shutdown (the batch in flight is finished); only the waits between
/// retries end early on shutdown, leaving the batch uncommitted, to be re-delivered. Every failure resets the
/// <see cref="DestinationSession"/>, so a retry starts on a fresh connection and re-reads the catalog.
/// </remarks>
public sealed class BatchFlusher
{

    readonly SinkOptions _options;
    readonly DestinationSession _session;
    readonly BatchApplier _applier;
    readonly DeadLetterQueue _deadLetters;
    readonly SinkMetrics _metrics;
    readonly int _taskId;
    readonly ILogger _logger;
    bool _retrying;

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
    /// <returns>
    /// Null once the batch is committed; with <c>errors.tolerance=none</c>, the record that cannot be written, with
    /// the records before it committed and its partition's offset held at it (the table stops).
    /// </returns>
    /// <exception cref="SinkTaskFailedException">The task must stop (a failure that is not the record's).</exception>
    /// <exception cref="OperationCanceledException">Shutdown came during a retry wait; the batch is not committed.</exception>
    public async Task<RecordFailure?> FlushAsync(PartitionBatch batch, CancellationToken stopping)
    {
        var description = batch.ToString();
        if (!HasUndecodable(batch))
        {
            if (await ApplyRetryingAsync(description, batch.Records.Count, () => _applier.ApplyAsync(batch, CancellationToken.None), stopping) is not { } failed)
                return null;
            Log.IsolatingBatch(_logger, description, failed.Message);
        }

        var stopAtFailure = _options.ErrorTolerance == ErrorTolerance.None;
        IReadOnlyList<RecordFailure> failures = [];
        var escaped = await ApplyRetryingAsync(description, batch.Records.Count, async () =>
        {
            (failures, var counts) = await _applier.ApplyIsolatingAsync(batch, stopAtFailure,
                (found, cancellationToken) => _deadLetters.SendAsync(found, _taskId, cancellationToken), CancellationToken.None);
            return counts;
        }, stopping);
        if (escaped is not null) throw CannotWrite(description, escaped);
        return failures.Count > 0 && stopAtFailure ? failures[0] : null;
    }

    /// <summary>
    /// Applies and commits <paramref name="batches"/> (of several partitions) in one transaction, which saves a
    /// transaction, an offsets-table round trip and a COPY per batch. Batches with undecodable records, and every batch
    /// of a group that fails on a record, are applied one by one through <see cref="FlushAsync(PartitionBatch, CancellationToken)"/>
    /// instead, so that the record at fault is singled out and the batches of other partitions still commit. Once a
    /// record stops its table, the group's later batches of the same topic are left out.
    /// </summary>
    /// <returns>What was left undone (<see cref="FlushOutcome.Complete"/> when everything committed).</returns>
    /// <exception cref="SinkTaskFailedException">The task must stop (a failure that is not a record's); the batches before the one at fault are committed.</exception>
    /// <exception cref="OperationCanceledException">Shutdown came during a retry wait; the batches are not committed.</exception>
    public async Task<FlushOutcome> FlushAsync(IReadOnlyList<PartitionBatch> batches, CancellationToken stopping)
    {
        if (batches.Count > 1 && !batches.Any(HasUndecodable))
        {
            var description = Describe(batches);
            if (await ApplyRetryingAsync(description, batches.Sum(b => b.Records.Count), () => _applier.ApplyAsync(batches, CancellationToken.None), stopping)
                is not { } failed)
                return FlushOutcome.Complete;
            Log.IsolatingBatch(_logger, description, failed.Message);
        }
        List<RecordFailure>? stops = null;
        List<PartitionBatch>? notApplied = null;
        foreach (var batch in batches)
        {
            if (stops is not null && stops.Any(s => s.Record.Topic == batch.Partition.Topic))
            {
                (notApplied ??= []).Add(batch);
                continue;
            }
            if (await FlushAsync(batch, stopping) is { } stop) (stops ??= []).Add(stop);
        }
        return stops is null ? FlushOutcome.Complete : new FlushOutcome(stops, notApplied ?? []);
    }

    /// <summary>
    /// Runs <paramref name="apply"/> (one transaction) until it commits, retrying transient failures with backoff (the
    /// session reset after each failure). Returns null once committed, or the record-level failure for the caller to
    /// isolate; any other failure stops the task.
    /// </summary>
    async Task<Exception?> ApplyRetryingAsync(string description, int records, Func<Task<WriteCounts>> apply, CancellationToken stopping)
    {
        for (var attempt = 1; ; attempt++)
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                var counts = await apply();
                var elapsed = Stopwatch.GetElapsedTime(started);
                _metrics.BatchCommitted(counts, elapsed);
                foreach (var (table, rows) in counts.UnavailableAsNull)
                    Log.UnavailableValuesWrittenAsNull(_logger, rows, table, description);
                Log.BatchApplied(_logger, description, records, counts.TotalRows, elapsed.TotalMilliseconds);
                if (_retrying)
                {
                    _retrying = false;
                    Retrying?.Invoke(null);
                }
                return null;
            }
            catch (Exception e)
            {
                await _session.ResetAsync();
                var kind = SinkErrorClassifier.Classify(e);
                if (kind == FailureKind.Record) return e;
                if (kind != FailureKind.Transient) throw CannotWrite(description, e);

                var delay = _options.RetryBackoff.Delay(attempt);
                _metrics.Retried();
                Log.RetryingBatch(_logger, description, attempt, delay.TotalMilliseconds, e);
                _retrying = true;
                Retrying?.Invoke(e.Message);
                await Task.Delay(delay, stopping);
            }
        }
    }

    SinkTaskFailedException CannotWrite(string description, Exception e) => new($"task {_taskId} cannot write batch {description}: {e.Message}", null, e);

    static bool HasUndecodable(PartitionBatch batch) => batch.Records.Any(r => r.Action == RecordAction.Failed);

    static string Describe(IReadOnlyList<PartitionBatch> batches) =>
        batches.Count <= 3 ? string.Join(", ", batches) : $"{string.Join(", ", batches.Take(3))} and {batches.Count - 3} more";

}
