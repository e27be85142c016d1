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
    /// believe they own a partition) and returns the next offset already applied of each that has one. Records below it
    /// must be skipped.
    /// </summary>
    public Task<Dictionary<TopicPartition, long>> BeginAsync(ApplyTransaction transaction, IReadOnlyCollection<TopicPartition> partitions,
        CancellationToken cancellationToken) =>
        _offsets.LockAsync(transaction, partitions, cancellationToken);

    /// <summary><see cref="BeginAsync(ApplyTransaction, IReadOnlyCollection{TopicPartition}, CancellationToken)"/> for one partition.</summary>
    public async Task<long?> BeginAsync(ApplyTransaction transaction, TopicPartition partition, CancellationToken cancellationToken) =>
        (await _offsets.LockAsync(transaction, [partition], cancellationToken)).TryGetValue(partition, out var next) ? next : null;

    /// <summary>Records the next offsets in the transaction, commits it, then commits them to Kafka.</summary>
    public async Task CommitAsync(ApplyTransaction transaction, IReadOnlyCollection<TopicPartitionOffset> nextOffsets, CancellationToken cancellationToken)
    {
        await _offsets.RecordAsync(transaction, nextOffsets, cancellationToken);
        await transaction.Transaction.CommitAsync(cancellationToken);
        foreach (var offset in nextOffsets)
        {
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

    /// <summary>Records <paramref name="nextOffset"/> for one partition, commits, then commits it to Kafka.</summary>
    public Task CommitAsync(ApplyTransaction transaction, TopicPartition partition, long nextOffset, CancellationToken cancellationToken) =>
        CommitAsync(transaction, [new TopicPartitionOffset(partition, nextOffset)], cancellationToken);

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
