using Confluent.Kafka;
using KafkaCdc.SinkConnector.Destination;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace KafkaCdc.SinkConnector.Committing;

/// <summary>
/// The one owner of "offsets are committed to Kafka only after the batch's database transaction committed". It also
/// owns the offsets table's two other rules: each batch transaction first locks its partitions' rows and skips records
/// below the recorded offsets (<see cref="BeginAsync(ApplyTransaction, IReadOnlyCollection{TopicPartition}, CancellationToken)"/>), and on assignment a partition resumes from the recorded offset
/// when that is ahead of Kafka's committed one (<see cref="ResumeOffsetsAsync"/>). Together these make a crash between
/// the database commit and the Kafka commit re-apply nothing, even in insert mode.
/// </summary>
/// <remarks>
/// Failure path: if anything fails before the database commit, the exception propagates and nothing is committed
/// anywhere (the batch is retried or the task stops). A failed Kafka commit after the database commit is logged and
/// counted but not retried: the offsets table already holds the truth, the next batch's commit supersedes it, and a
/// restart resumes from the table.
/// </remarks>
public sealed class OffsetCommitter
{
    readonly SinkOffsetsTable _offsets;
    readonly IKafkaOffsetCommit _kafka;
    readonly ILogger _logger;
    readonly Action? _onKafkaCommitFailed;

    /// <summary>Creates the committer.</summary>
    public OffsetCommitter(SinkOffsetsTable offsets, IKafkaOffsetCommit kafka, ILogger logger, Action? onKafkaCommitFailed = null)
    {
        _offsets = offsets;
        _kafka = kafka;
        _logger = logger;
        _onKafkaCommitFailed = onKafkaCommitFailed;
    }

    /// <summary>
    /// At the start of a batch transaction: locks the partitions' offset rows (serialising two members that both
    /// believe they own a partition) and returns each partition's <see cref="PartitionFence"/>: what the transaction
    /// must skip (records below the recorded offset, replays by source position).
    /// </summary>
    public async Task<Dictionary<TopicPartition, PartitionFence>> BeginAsync(ApplyTransaction transaction, IReadOnlyCollection<TopicPartition> partitions,
        CancellationToken cancellationToken)
    {
        var stored = await _offsets.LockAsync(transaction, partitions, cancellationToken);
        return partitions.ToDictionary(p => p, p => new PartitionFence(stored.TryGetValue(p, out var row) ? row : null));
    }

    /// <summary><see cref="BeginAsync(ApplyTransaction, IReadOnlyCollection{TopicPartition}, CancellationToken)"/> for one partition.</summary>
    public async Task<PartitionFence> BeginAsync(ApplyTransaction transaction, TopicPartition partition, CancellationToken cancellationToken) =>
        (await BeginAsync(transaction, [partition], cancellationToken))[partition];

    /// <summary>Records the partitions' progress in the transaction, commits it, then commits the next offsets to Kafka.</summary>
    public async Task CommitAsync(ApplyTransaction transaction, IReadOnlyCollection<PartitionProgress> progress, CancellationToken cancellationToken)
    {
        await _offsets.RecordAsync(transaction, progress, cancellationToken);
        await transaction.Transaction.CommitAsync(cancellationToken);
        foreach (var (partition, next, _) in progress)
        {
            var offset = new TopicPartitionOffset(partition, next);
            try
            {
                _kafka.Commit(offset);
            }
            catch (KafkaException e)
            {
                Log.KafkaCommitFailed(_logger, offset.Topic, offset.Partition.Value, offset.Offset.Value, e.Error.Code, e.Error.Reason);
                _onKafkaCommitFailed?.Invoke();
            }
        }
    }

    /// <summary>Records <paramref name="nextOffset"/> for one partition (its source position unchanged), commits, then commits it to Kafka.</summary>
    public Task CommitAsync(ApplyTransaction transaction, TopicPartition partition, long nextOffset, CancellationToken cancellationToken) =>
        CommitAsync(transaction, [new PartitionProgress(partition, nextOffset, null)], cancellationToken);

    /// <summary>
    /// Where each newly assigned partition resumes: the offsets table's offset when it is ahead of Kafka's committed
    /// one (or Kafka has none), otherwise <see cref="Offset.Unset"/> (Kafka's committed offset, or <c>auto.offset.reset</c>).
    /// </summary>
    /// <param name="connection">An open connection to the destination.</param>
    /// <param name="partitions">The partitions assigned.</param>
    /// <param name="kafkaCommitted">Kafka's committed offsets of the partitions (the consumer's <c>Committed</c>).</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    public async Task<List<TopicPartitionOffset>> ResumeOffsetsAsync(NpgsqlConnection connection, IReadOnlyCollection<TopicPartition> partitions,
        Func<IReadOnlyCollection<TopicPartition>, IReadOnlyList<TopicPartitionOffset>> kafkaCommitted, CancellationToken cancellationToken)
    {
        var recorded = await _offsets.ReadAsync(connection, partitions, cancellationToken);
        var committed = recorded.Count == 0
            ? new Dictionary<TopicPartition, Offset>()
            : kafkaCommitted(partitions).ToDictionary(o => o.TopicPartition, o => o.Offset);
        var result = new List<TopicPartitionOffset>(partitions.Count);
        foreach (var partition in partitions)
        {
            var kafka = committed.GetValueOrDefault(partition, Offset.Unset);
            if (recorded.TryGetValue(partition, out var table) && (kafka.IsSpecial || table > kafka.Value))
            {
                Log.ResumingFromOffsetsTable(_logger, partition.Topic, partition.Partition.Value, table, kafka.IsSpecial ? null : kafka.Value);
                result.Add(new TopicPartitionOffset(partition, table));
            }
            else
            {
                result.Add(new TopicPartitionOffset(partition, Offset.Unset));
            }
        }
        return result;
    }
}
