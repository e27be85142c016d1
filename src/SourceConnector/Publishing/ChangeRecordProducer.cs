using Confluent.Kafka;
using KafkaCdc.Shared.ChangeEvents;
using KafkaCdc.SourceConnector.ChangeEvents;
using KafkaCdc.SourceConnector.Checkpointing;
using KafkaCdc.SourceConnector.Encoding;
using KafkaCdc.SourceConnector.Status;
using Microsoft.Extensions.Logging;

namespace KafkaCdc.SourceConnector.Publishing;

/// <summary>
/// Encodes change events and produces their records without awaiting them, counting each record in the event's
/// <see cref="TransactionProgress"/> (a source transaction, or a snapshot chunk) until Kafka acknowledges it. One per
/// thread: the publisher thread has one, each snapshot worker its own (the encoder keeps per-thread buffers).
/// </summary>
/// <remarks>
/// <para>Records: one per change, keyed by the primary key (librdkafka's partitioner keeps a key on one partition,
/// so a row's changes stay in commit order); a null key (table without a primary key) goes to partition 0; a
/// truncate goes to every partition; a delete is followed by a tombstone (null value, same key) when
/// <c>tombstones.on.delete</c> and the table has a key; an update that changed the key is a delete of the old key
/// (and its tombstone) followed by a create under the new key.</para>
/// <para><b>Back-pressure</b>: when librdkafka's queue is full (<c>queue.buffering.max.*</c>) <see cref="Publish"/>
/// waits for room instead of buffering.</para>
/// <para><b>Failures</b>: Kafka refusing a record throws <see cref="SourceConnectorException"/>; a failed delivery is
/// reported to <c>onDeliveryFailure</c> (on librdkafka's thread) and leaves its progress pending for good.</para>
/// </remarks>
internal sealed class ChangeRecordProducer(
    IProducer<byte[]?, byte[]?> producer, ChangeEventEncoder encoder, SchemaRegistrar registrar, PartitionCounts partitions,
    SourceStatus status, bool tombstonesOnDelete, Action<Exception> onDeliveryFailure, ILogger logger, ulong systemId = 0)
{
    static readonly TimeSpan s_queueFullWait = TimeSpan.FromMilliseconds(5);
    TransactionProgress? _handlerTransaction;
    Action<DeliveryReport<byte[]?, byte[]?>>? _handler;

    /// <summary>Makes sure <paramref name="table"/>'s topic exists and its schemas are registered, before its first record.</summary>
    public async Task ReadyAsync(CapturedTable table, CancellationToken cancellationToken)
    {
        if (table.IsReady) return;
        await registrar.EnsureReadyAsync(table, cancellationToken);
        table.IsReady = true;
    }

    /// <summary>Encodes <paramref name="change"/> and produces its records.</summary>
    /// <exception cref="SourceConnectorException">A value cannot be encoded, or Kafka refused a record.</exception>
    public void Publish(ChangeEvent change, CancellationToken abort)
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
                    Produce(change, new TopicPartition(table.Topic, partition), null, value, handler, abort, SourcePosition.ChangeRecord);
                break;
            case ChangeOperation.Update when oldKey is not null:
                if (change.After!.HasUnchangedToast)
                {
                    var columns = table.Schema.Columns.Where((_, i) => change.After.UnchangedToast![i]).Select(c => c.FieldName);
                    Log.KeyChangeWithoutToastedValues(logger, table.Name.Quoted, change.Source.Lsn.ToString(), string.Join(", ", columns));
                }
                Produce(change, null, oldKey, oldKeyDelete, handler, abort, SourcePosition.ChangeRecord);
                if (tombstonesOnDelete) Produce(change, null, oldKey, null, handler, abort, SourcePosition.Tombstone);
                Produce(change, null, key, value, handler, abort, SourcePosition.CreateUnderNewKey);
                table.Counters.Increment(ChangeOperation.Delete);
                table.Counters.Increment(ChangeOperation.Create);
                return;
            default:
                Produce(change, key is null ? new TopicPartition(table.Topic, 0) : null, key, value, handler, abort, SourcePosition.ChangeRecord);
                if (change.Operation == ChangeOperation.Delete && tombstonesOnDelete && key is not null)
                    Produce(change, null, key, null, handler, abort, SourcePosition.Tombstone);
                break;
        }
        table.Counters.Increment(change.Operation);
    }

    void Produce(ChangeEvent change, TopicPartition? partition, byte[]? key, byte[]? value,
        Action<DeliveryReport<byte[]?, byte[]?>> handler, CancellationToken abort, ulong part)
    {
        var message = new Message<byte[]?, byte[]?> { Key = key, Value = value };
        // A change's envelope carries its position (source.commit_lsn, event_serial_no, system_id); a tombstone has none.
        if (value is null && change.PositionOf(systemId, part) is { } position)
            message.Headers = [new Header(SourcePosition.HeaderName, position.ToBytes())];
        if (change.Source.Mark is { } mark) (message.Headers ??= []).Add(SnapshotMark.HeaderName, (mark with { System = systemId }).Write());
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
                    $"Kafka refused a record of table {change.Table.Name.Quoted} at LSN {change.Source.Lsn} " +
                    $"for topic {change.Table.Topic}: {e.Error.Code}: {e.Error.Reason}", e);
            }
        }
    }

    /// <summary>One delivery handler per transaction or chunk (events arrive grouped by them), so producing allocates none.</summary>
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
            var what = transaction.TransactionId is { } id
                ? $"transaction {id} (commit LSN {transaction.CommitLsn})"
                : transaction.Description ?? $"position {transaction.CommitLsn}";
            var failure = new SourceConnectorException(FailureClassifier.ClassifyKafka(report.Error),
                $"Kafka did not acknowledge a record of {what} for topic {report.Topic} partition {report.Partition.Value}: " +
                $"{report.Error.Code}: {report.Error.Reason}. Nothing from it on is confirmed to PostgreSQL");
            Log.DeliveryFailed(logger, failure.Message);
            onDeliveryFailure(failure);
        };
    }

    static long UnixMicrosNow() => (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) / 10;
}
