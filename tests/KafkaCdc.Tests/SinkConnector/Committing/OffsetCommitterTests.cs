using Confluent.Kafka;
using KafkaCdc.SinkConnector.Committing;
using KafkaCdc.SinkConnector.Destination;
using KafkaCdc.Tests.SinkConnector.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace KafkaCdc.Tests.SinkConnector.Committing;

/// <summary>The one owner of "Kafka offsets only after the database commit", the offsets-table fence and resume rule.</summary>
public class OffsetCommitterTests
{
    SinkDestination _destination = null!;
    NpgsqlDataSource _dataSource = null!;

    /// <summary>Records commits, and what the database showed at the moment of each.</summary>
    sealed class KafkaCommitProbe(Func<long?> recordedInDatabase) : IKafkaOffsetCommit
    {
        public List<(TopicPartitionOffset Offset, long? RecordedInDatabase)> Commits { get; } = [];

        public bool Fail { get; set; }

        public void Commit(TopicPartitionOffset offset)
        {
            Commits.Add((offset, recordedInDatabase()));
            if (Fail) throw new KafkaException(ErrorCode.RebalanceInProgress);
        }
    }

    [OneTimeSetUp]
    public async Task CreateDatabaseAsync()
    {
        _destination = await SinkDestination.CreateAsync("committer_dst");
        var options = SinkConfigs.Options(SinkConfigs.For(_destination, "unused"));
        _dataSource = NpgsqlDataSource.Create(options.ConnectionString);
        await using var connection = await _dataSource.OpenConnectionAsync();
        await new SinkOffsetsTable(_destination.Schema, "any").EnsureAsync(connection, CancellationToken.None);
    }

    [OneTimeTearDown]
    public async Task DisposeDataSourceAsync() => await _dataSource.DisposeAsync();

    (OffsetCommitter Committer, KafkaCommitProbe Kafka, string Group) Create()
    {
        var group = TestEnvironment.UniqueName("group");
        var kafka = new KafkaCommitProbe(() => (long?)_destination.ScalarAsync(
            $"SELECT next_offset FROM {_destination.Schema}.kafkacdc_sink_offsets WHERE group_id = '{group}'").GetAwaiter().GetResult());
        return (new OffsetCommitter(new SinkOffsetsTable(_destination.Schema, group), kafka, NullLogger.Instance), kafka, group);
    }

    async Task<ApplyTransaction> BeginAsync()
    {
        var connection = await _dataSource.OpenConnectionAsync();
        return new ApplyTransaction(connection, await connection.BeginTransactionAsync());
    }

    [Test]
    public async Task Commit_RecordsTheOffset_CommitsTheDatabase_ThenKafka()
    {
        var (committer, kafka, _) = Create();
        var partition = new TopicPartition("orders", 3);

        await using (var transaction = await BeginAsync())
        {
            Assert.That((await committer.BeginAsync(transaction, partition, CancellationToken.None)).AppliedOffset, Is.Null);
            await committer.CommitAsync(transaction, partition, 42, CancellationToken.None);
        }

        Assert.That(kafka.Commits, Is.EqualTo(new[] { (new TopicPartitionOffset(partition, 42), (long?)42) }),
            "Kafka's commit happens once the database shows the offset, from another connection");
    }

    [Test]
    public async Task DatabaseCommitFailing_NeverCommitsToKafka()
    {
        var (committer, kafka, _) = Create();
        var partition = new TopicPartition("orders", 0);
        await using var transaction = await BeginAsync();
        await using (var failing = transaction.Command("SELECT 1/0")) Assert.ThrowsAsync<PostgresException>(() => failing.ExecuteNonQueryAsync());

        Assert.ThrowsAsync<PostgresException>(() => committer.CommitAsync(transaction, partition, 10, CancellationToken.None));

        Assert.That(kafka.Commits, Is.Empty);
    }

    [Test]
    public async Task KafkaCommitFailing_AfterTheDatabaseCommit_IsNotAnError_TheTableHoldsTheOffset()
    {
        var (committer, kafka, group) = Create();
        kafka.Fail = true;
        var partition = new TopicPartition("orders", 1);
        var failures = 0;
        committer = new OffsetCommitter(new SinkOffsetsTable(_destination.Schema, group), kafka, NullLogger.Instance, () => failures++);

        await using (var transaction = await BeginAsync()) await committer.CommitAsync(transaction, partition, 7, CancellationToken.None);

        Assert.That(failures, Is.EqualTo(1));
        Assert.That((await _destination.RecordedOffsetsAsync(group))[("orders", 1)], Is.EqualTo(7));
    }

    [Test]
    public async Task Begin_ReturnsTheRecordedOffset_AndLocksThePartitionAgainstASecondWriter()
    {
        var (committer, _, _) = Create();
        var partition = new TopicPartition("orders", 2);
        await using (var transaction = await BeginAsync()) await committer.CommitAsync(transaction, partition, 100, CancellationToken.None);

        await using var first = await BeginAsync();
        Assert.That((await committer.BeginAsync(first, partition, CancellationToken.None)).AppliedOffset, Is.EqualTo(100));
        await using var second = await BeginAsync();
        var secondBegin = committer.BeginAsync(second, partition, CancellationToken.None);
        await Task.Delay(100);
        Assert.That(secondBegin.IsCompleted, Is.False, "a second member that believes it owns the partition waits for the first");
        await committer.CommitAsync(first, partition, 150, CancellationToken.None);

        Assert.That((await secondBegin).AppliedOffset, Is.EqualTo(150), "and then skips what the first applied");
    }

    [Test]
    public async Task Resume_FromTheTable_OnlyWhenAheadOfKafka()
    {
        var (committer, _, _) = Create();
        TopicPartition ahead = new("orders", 0), behind = new("orders", 1), kafkaHasNone = new("orders", 2), tableHasNone = new("orders", 3);
        foreach (var (partition, offset) in new[] { (ahead, 50L), (behind, 10L), (kafkaHasNone, 5L) })
        {
            await using var transaction = await BeginAsync();
            await committer.CommitAsync(transaction, partition, offset, CancellationToken.None);
        }
        IReadOnlyList<TopicPartitionOffset> KafkaCommitted(IReadOnlyCollection<TopicPartition> partitions) =>
        [
            new(ahead, 40), new(behind, 20), new(kafkaHasNone, Offset.Unset), new(tableHasNone, 30),
        ];

        await using var connection = await _dataSource.OpenConnectionAsync();
        var resume = await committer.ResumeOffsetsAsync(connection, [ahead, behind, kafkaHasNone, tableHasNone], KafkaCommitted, CancellationToken.None);

        Assert.That(resume, Is.EqualTo(new[]
        {
            new TopicPartitionOffset(ahead, 50), new TopicPartitionOffset(behind, Offset.Unset),
            new TopicPartitionOffset(kafkaHasNone, 5), new TopicPartitionOffset(tableHasNone, Offset.Unset),
        }));
    }
}
