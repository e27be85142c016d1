using System.Threading.Channels;
using KafkaCdc.SourceConnector.ChangeEvents;
using KafkaCdc.SourceConnector.Checkpointing;
using KafkaCdc.SourceConnector.Status;

namespace KafkaCdc.SourceConnector.Publishing;

/// <summary>
/// The publisher stage, on its own thread: takes batches from the reader's channel in order and hands each change to
/// its <see cref="ChangeRecordProducer"/> (which readies the table version, encodes and produces without awaiting);
/// a transaction's commit marks its record count final in the <see cref="Checkpointer"/>.
/// </summary>
/// <remarks>
/// <para><b>Back-pressure</b>: when librdkafka's queue is full the producer waits for room instead of buffering, so
/// the channel fills and the reader stops reading the stream.</para>
/// <para><b>Failures</b>: an exception here ends <see cref="Completion"/> with it; a failed delivery reaches the
/// session through the producer's failure callback. Both stop the session, which reconnects from the stored offset
/// (transient) or stops the connector (permanent).</para>
/// </remarks>
internal sealed class ChangePublisher(ChannelReader<PipelineBatch> input, ChangeRecordProducer records, SourceStatus status)
{
    const int IdlePollsBeforeBlocking = 100;
    readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the channel is drained after the reader closed it, or faults with the publisher's failure.</summary>
    public Task Completion => _completion.Task;

    /// <summary>Starts the publisher thread. <paramref name="abort"/> stops it without draining.</summary>
    public void Start(CancellationToken abort)
    {
        var thread = new Thread(() => Run(abort)) { IsBackground = true, Name = "kafkacdc-source-publisher" };
        thread.Start();
    }

    void Run(CancellationToken abort)
    {
        try
        {
            var idlePolls = 0;
            while (true)
            {
                if (input.TryRead(out var batch))
                {
                    foreach (var item in batch.Items) Handle(item, abort);
                    status.AddQueued(-batch.Items.Length);
                    idlePolls = 0;
                    continue;
                }
                if (input.Completion.IsCompleted) break;
                // Nothing queued: look again every millisecond for a while before blocking. A trickle of small
                // transactions would otherwise make the reader wake this thread for nearly every one, and a thread
                // wake-up costs more CPU than publishing the change; the price is up to a millisecond of latency.
                if (idlePolls++ < IdlePollsBeforeBlocking)
                {
                    Thread.Sleep(1);
                    abort.ThrowIfCancellationRequested();
                    continue;
                }
                idlePolls = 0;
                var more = input.WaitToReadAsync(abort);
                if (!(more.IsCompletedSuccessfully ? more.Result : more.AsTask().GetAwaiter().GetResult())) break;
            }
            _completion.TrySetResult();
        }
        catch (OperationCanceledException) when (abort.IsCancellationRequested)
        {
            _completion.TrySetCanceled(abort);
        }
        catch (Exception e)
        {
            _completion.TrySetException(e);
        }
    }

    void Handle(PipelineItem item, CancellationToken abort)
    {
        switch (item)
        {
            case ChangeEvent change:
                records.Publish(change, abort);
                break;
            case TransactionCommit commit:
                Checkpointer.Committed(commit.Transaction, commit.EndLsn);
                break;
        }
    }

}
