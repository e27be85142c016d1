using System.Threading.Channels;
using Confluent.Kafka;
using KafkaCdc.SourceConnector.ChangeEvents;
using KafkaCdc.SourceConnector.Checkpointing;
using KafkaCdc.SourceConnector.Encoding;
using KafkaCdc.SourceConnector.Status;
using Microsoft.Extensions.Logging;
using NpgsqlTypes;

namespace KafkaCdc.SourceConnector.Publishing;

/// <summary>
/// The publisher stage, on its own thread: takes batches from the reader's channel in order, readies each table
/// version (topic, schemas), encodes each change and produces its records without awaiting them; delivery reports
/// count the records down in the <see cref="Checkpointer"/>.
/// </summary>
/// <remarks>
/// <para>Records: one per change, keyed by the primary key (librdkafka's partitioner keeps a key on one partition,
/// so a row's changes stay in commit order); a null key (table without a primary key) goes to partition 0; a
/// truncate goes to every partition; a delete is followed by a tombstone (null value, same key) when
/// <c>tombstones.on.delete</c> and the table has a key; an update that changed the key is a delete of the old key
/// (and its tombstone) followed by a create under the new key.</para>
/// <para><b>Back-pressure</b>: when librdkafka's queue is full (<c>queue.buffering.max.*</c>) the publisher waits
/// for room instead of buffering, so the channel fills and the reader stops reading the stream.</para>
/// <para><b>Failures</b>: an exception here ends <see cref="Completion"/> with it; a failed delivery reaches the
/// session through <see cref="Checkpointer.DeliveryFailed"/>. Both stop the session, which reconnects from the
/// stored offset (transient) or stops the connector (permanent).</para>
/// </remarks>
internal sealed class ChangePublisher(
    ChannelReader<PipelineBatch> input, IProducer<byte[]?, byte[]?> producer, ChangeEventEncoder encoder, SchemaRegistrar registrar,
    PartitionCounts partitions, Checkpointer checkpointer, SourceStatus status, bool tombstonesOnDelete, ILogger logger)
{
    const int IdlePollsBeforeBlocking = 100;
    static readonly TimeSpan s_queueFullWait = TimeSpan.FromMilliseconds(5);
    readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    TransactionProgress? _handlerTransaction;
    Action<DeliveryReport<byte[]?, byte[]?>>? _handler;

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
                Publish(change, abort);
                break;
            case TransactionCommit commit:
                Checkpointer.Committed(commit.Transaction, commit.EndLsn);
                break;
        }
    }

    void Publish(ChangeEvent change, CancellationToken abort)
    {
        var table = change.Table;
        if (!table.IsReady)
        {
            registrar.EnsureReadyAsync(table, abort).GetAwaiter().GetResult();
            table.IsReady = true;
        }
        var (key, value, oldKey, oldKeyDelete) = encoder.Encode(change, UnixMicrosNow());
        var handler = HandlerFor(change.Transaction);
        switch (change.Operation)
        {
            case ChangeOperation.Truncate:
                var count = partitions.For(table.Topic);
                for (var partition = 0; partition < count; partition++)
                    Produce(change, new TopicPartition(table.Topic, partition), null, value, handler, abort);
                break;
            case ChangeOperation.Update when oldKey is not null:
                if (change.After!.HasUnchangedToast)
                {
                    var columns = table.Schema.Columns.Where((_, i) => change.After.UnchangedToast![i]).Select(c => c.FieldName);
                    Log.KeyChangeWithoutToastedValues(logger, table.Name.Quoted, new NpgsqlLogSequenceNumber(change.Source.Lsn).ToString(), string.Join(", ", columns));
                }
                Produce(change, null, oldKey, oldKeyDelete, handler, abort);
                if (tombstonesOnDelete) Produce(change, null, oldKey, null, handler, abort);
                Produce(change, null, key, value, handler, abort);
                table.Counters.Increment(ChangeOperation.Delete);
                table.Counters.Increment(ChangeOperation.Create);
                return;
            default:
                Produce(change, key is null ? new TopicPartition(table.Topic, 0) : null, key, value, handler, abort);
                if (change.Operation == ChangeOperation.Delete && tombstonesOnDelete && key is not null)
                    Produce(change, null, key, null, handler, abort);
                break;
        }
        table.Counters.Increment(change.Operation);
    }

    void Produce(ChangeEvent change, TopicPartition? partition, byte[]? key, byte[]? value,
        Action<DeliveryReport<byte[]?, byte[]?>> handler, CancellationToken abort)
    {
        var message = new Message<byte[]?, byte[]?> { Key = key, Value = value };
        Checkpointer.Produced(change.Transaction);
        status.RecordProduced();
        while (true)
        {
            try
            {
                if (partition is null) producer.Produce(change.Table.Topic, message, handler);
                else producer.Produce(partition, message, handler);
                return;
            }
            catch (ProduceException<byte[]?, byte[]?> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
            {
                // Back-pressure: wait for delivery reports to make room rather than buffer without bound.
                abort.WaitHandle.WaitOne(s_queueFullWait);
                abort.ThrowIfCancellationRequested();
            }
            catch (ProduceException<byte[]?, byte[]?> e)
            {
                throw new SourceConnectorException(FailureClassifier.ClassifyKafka(e.Error),
                    $"Kafka refused a record of table {change.Table.Name.Quoted} at LSN {new NpgsqlLogSequenceNumber(change.Source.Lsn)} " +
                    $"for topic {change.Table.Topic}: {e.Error.Code}: {e.Error.Reason}", e);
            }
        }
    }

    /// <summary>One delivery handler per transaction (events arrive grouped by transaction), so producing allocates none.</summary>
    Action<DeliveryReport<byte[]?, byte[]?>> HandlerFor(TransactionProgress transaction)
    {
        if (ReferenceEquals(transaction, _handlerTransaction)) return _handler!;
        _handlerTransaction = transaction;
        return _handler = report =>
        {
            status.RecordDelivered();
            if (!report.Error.IsError)
            {
                Checkpointer.Delivered(transaction);
                return;
            }
            status.RecordProduceError();
            var failure = new SourceConnectorException(FailureClassifier.ClassifyKafka(report.Error),
                $"Kafka did not acknowledge a record of transaction {transaction.TransactionId} (commit LSN " +
                $"{new NpgsqlLogSequenceNumber(transaction.CommitLsn)}) for topic {report.Topic} partition {report.Partition.Value}: " +
                $"{report.Error.Code}: {report.Error.Reason}. Nothing from this transaction on is confirmed to PostgreSQL");
            Log.DeliveryFailed(logger, failure.Message);
            checkpointer.DeliveryFailed(transaction, failure);
        };
    }

    static long UnixMicrosNow() => (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) / 10;
}
