using KafkaCdc.SinkConnector.Applying;
using KafkaCdc.SinkConnector.Batching;
using KafkaCdc.SinkConnector.Monitoring;

namespace KafkaCdc.SinkConnector.Consuming;

/// <summary>
/// One task's flushes: each group of <see cref="PartitionBatch"/>es goes to <see cref="BatchFlusher"/> on the thread
/// pool, one group in flight at a time, so that the task thread consumes and decodes the next records meanwhile.
/// </summary>
/// <remarks>
/// Hand-off: bound of one group in flight; the group is owned by the flush until it completes, and the task thread
/// waits for it before starting the next one (so a partition's batches are applied in order), before a revocation gives
/// partitions up, and at shutdown. A failure of the flush is thrown on the task thread at that wait
/// (<see cref="Wait"/>), and what it left undone because a table stopped (<see cref="FlushOutcome"/>) is returned
/// there, before the next group starts. Used by the task thread only.
/// </remarks>
internal sealed class FlushScheduler
{
    readonly BatchFlusher _flusher;
    readonly SinkMetrics _metrics;
    readonly CancellationToken _stopping;
    Task<FlushOutcome>? _inFlight;

    /// <summary>Schedules flushes through <paramref name="flusher"/>; <paramref name="stopping"/> ends their retry waits.</summary>
    public FlushScheduler(BatchFlusher flusher, SinkMetrics metrics, CancellationToken stopping)
    {
        _flusher = flusher;
        _metrics = metrics;
        _stopping = stopping;
    }

    /// <summary>Whether a flush is in flight and has completed (its outcome not yet observed).</summary>
    public bool HasCompleted => _inFlight is { IsCompleted: true };

    /// <summary>Starts applying <paramref name="batches"/> (in one transaction); the flush before must have been waited for.</summary>
    public void Start(List<PartitionBatch> batches)
    {
        if (_inFlight is not null) throw new InvalidOperationException("a flush is in flight: wait for it (and handle its outcome) first");
        foreach (var batch in batches) _metrics.RecordsConsumed(batch.Partition.Topic, batch.Records.Count);
        _inFlight = Task.Run(() => _flusher.FlushAsync(batches, _stopping));
    }

    /// <summary>Waits for the flush in flight, if any, and throws its failure.</summary>
    /// <returns>What it left undone (<see cref="FlushOutcome.Complete"/> when nothing was in flight).</returns>
    public FlushOutcome Wait()
    {
        if (_inFlight is not { } flush) return FlushOutcome.Complete;
        _inFlight = null;
        Block(flush);
        return flush.GetAwaiter().GetResult();
    }

    /// <summary>After a failure: lets the flush in flight end before its connection goes, without throwing its outcome.</summary>
    public void WaitQuietly()
    {
        if (_inFlight is { } flush)
        {
            Block(flush);
            _ = flush.Exception;
        }
    }

    /// <summary>A plain blocking wait: the flush takes milliseconds, spinning for it only burns the CPU it needs.</summary>
    static void Block(Task flush)
    {
        if (!flush.IsCompleted) ((IAsyncResult)flush).AsyncWaitHandle.WaitOne();
    }
}
