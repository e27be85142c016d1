using Confluent.Kafka;
using KafkaCdc.Shared.Kafka;

namespace KafkaCdc.DevStack.Kafka;

/// <summary>
/// librdkafka's in-memory Kafka mock cluster (rdkafka_mock.h) hosted in this process: real TCP listeners on
/// 127.0.0.1 that any Kafka client, in this or another process, can use for as long as this object lives.
/// Adds the fault injection tests need: brokers down and up, round-trip time, errors for the next requests
/// of a type, topics with a given partition count, partition leaders, records deleted before an offset.
/// </summary>
/// <remarks>
/// <para>
/// The mock supports Produce, Fetch, ListOffsets, Metadata (auto-creating unknown topics with 4 partitions),
/// classic consumer groups with offset commits, and idempotent and transactional producers. It keeps
/// everything in memory. Broker ids are 1 to <see cref="BrokerCount"/>.
/// </para>
/// <para>
/// Quirks that differ from real Kafka (librdkafka 2.14): no CreateTopics, DeleteTopics or DescribeConfigs,
/// and the metadata names a controller that is none of the brokers, so librdkafka admin requests that need
/// the controller wait until they time out. A broker taken down keeps its partitions (they are unavailable
/// until it is up again or <see cref="SetPartitionLeader"/> moves them) and is left out of the metadata, so
/// clients forget it until it is back. Sequence numbers are checked, and retried batches deduplicated, only
/// for transactional producers: a plain idempotent producer whose produce response was lost (broker down
/// while a request was in flight) gets that batch written twice. After a member joins or leaves, a classic
/// consumer group waits up to the session timeout minus 1 s for the other members to rejoin. Each partition keeps at
/// most <see cref="PartitionRetentionBytes"/> of record batches (or <see cref="PartitionRetentionBatches"/> batches):
/// beyond that the oldest are deleted, read or not, and a consumer whose position falls below the log start gets
/// <c>OFFSET_OUT_OF_RANGE</c> (librdkafka then resets it per <c>auto.offset.reset</c>, with only a warning).
/// </para>
/// <para>
/// The native calls go through librdkafka's op queue to the mock cluster's own thread, so every method is
/// safe to call from any thread. Failures reported by librdkafka surface as <see cref="KafkaException"/>
/// with librdkafka's error code; bad arguments as <see cref="ArgumentException"/>.
/// </para>
/// </remarks>
public sealed class MockKafkaCluster : IDisposable
{
    /// <summary>The broker count used when none is given.</summary>
    public const int DefaultBrokerCount = 3;

    /// <summary>
    /// The bytes of record batches the mock keeps per partition (librdkafka's <c>rd_kafka_mock_partition_init</c>, not
    /// configurable): producing more deletes the oldest batches, whether consumers read them or not, and the log start
    /// moves on as after Kafka's retention.
    /// </summary>
    public const long PartitionRetentionBytes = 5 * 1024 * 1024;

    /// <summary>The produce batches the mock keeps per partition (the other hard-coded limit, next to <see cref="PartitionRetentionBytes"/>).</summary>
    public const int PartitionRetentionBatches = 100_000;

    readonly object _lock = new();
    readonly Dictionary<int, MockBroker> _brokers;
    readonly HashSet<short> _apiKeysWithErrors = [];
    readonly LibrdkafkaClientHandle _handle;
    IntPtr _cluster;

    MockKafkaCluster(LibrdkafkaClientHandle handle, IntPtr cluster, int brokerCount)
    {
        _handle = handle;
        _cluster = cluster;
        BrokerCount = brokerCount;
        BootstrapServers = MockClusterNative.Bootstraps(cluster);
        _brokers = Enumerable.Range(1, brokerCount).ToDictionary(id => id, id => new MockBroker(id, true, 0));
    }

    /// <summary>The <c>bootstrap.servers</c> list of all brokers, e.g. <c>127.0.0.1:39873,127.0.0.1:41213,...</c>.</summary>
    public string BootstrapServers { get; }

    /// <summary>The number of brokers.</summary>
    public int BrokerCount { get; }

    /// <summary>Every broker's current state, by id.</summary>
    public IReadOnlyList<MockBroker> Brokers
    {
        get
        {
            lock (_lock) return _brokers.Values.OrderBy(b => b.Id).ToList();
        }
    }

    /// <summary>Starts a cluster of <paramref name="brokerCount"/> brokers listening on random ports.</summary>
    public static MockKafkaCluster Start(int brokerCount = DefaultBrokerCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(brokerCount, 1);
        var handle = LibrdkafkaClientHandle.CreateProducer(new Dictionary<string, string>
        {
            ["client.id"] = "kafkacdc-mock-cluster",
            ["log_level"] = "4", // this handle never connects anywhere: no notice that it has no bootstrap.servers
        });
        var cluster = MockClusterNative.ClusterNew(handle, brokerCount);
        if (cluster == IntPtr.Zero)
        {
            handle.Dispose();
            throw new InvalidOperationException("rd_kafka_mock_cluster_new failed (see librdkafka's log on stderr)");
        }
        return new MockKafkaCluster(handle, cluster, brokerCount);
    }

    /// <summary>Closes the broker's connections and refuses new ones until <see cref="SetBrokerUp"/>.</summary>
    public void SetBrokerDown(int brokerId) => UpdateBroker(brokerId, b => b with { IsUp = false },
        cluster => MockClusterNative.BrokerSetDown(cluster, brokerId));

    /// <summary>Accepts connections to the broker again.</summary>
    public void SetBrokerUp(int brokerId) => UpdateBroker(brokerId, b => b with { IsUp = true },
        cluster => MockClusterNative.BrokerSetUp(cluster, brokerId));

    /// <summary>Delays every response of the broker by <paramref name="rtt"/> (zero to stop).</summary>
    public void SetBrokerRtt(int brokerId, TimeSpan rtt)
    {
        var milliseconds = (int)rtt.TotalMilliseconds;
        ArgumentOutOfRangeException.ThrowIfNegative(milliseconds, nameof(rtt));
        UpdateBroker(brokerId, b => b with { RttMilliseconds = milliseconds },
            cluster => MockClusterNative.BrokerSetRtt(cluster, brokerId, milliseconds));
    }

    /// <summary>
    /// Makes the next <c>errors.Count</c> requests of type <paramref name="apiKey"/>, to any broker, fail with
    /// these errors in order. <see cref="ErrorCode.Local_Transport"/> makes the broker drop the connection.
    /// </summary>
    public void PushRequestErrors(KafkaApiKey apiKey, IReadOnlyList<ErrorCode> errors)
    {
        if (errors.Count == 0) throw new ArgumentException("at least one error code is needed", nameof(errors));
        lock (_lock)
        {
            MockClusterNative.PushRequestErrors(Cluster, (short)apiKey, errors.Select(e => (int)e).ToArray());
            _apiKeysWithErrors.Add((short)apiKey);
        }
    }

    /// <summary>Drops the errors pushed for <paramref name="apiKey"/> that requests have not consumed yet.</summary>
    public void ClearRequestErrors(KafkaApiKey apiKey)
    {
        lock (_lock)
        {
            MockClusterNative.ClearRequestErrors(Cluster, (short)apiKey);
            _apiKeysWithErrors.Remove((short)apiKey);
        }
    }

    /// <summary>
    /// Creates a topic (the mock has no CreateTopics API; clients can also auto-create with 4 partitions).
    /// </summary>
    /// <param name="topic">The topic name.</param>
    /// <param name="partitions">The partition count, at least 1.</param>
    /// <param name="replicationFactor">Replicas per partition, 1 to <see cref="BrokerCount"/>; 0 for min(3, brokers).</param>
    public void CreateTopic(string topic, int partitions, int replicationFactor = 0)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);
        if (replicationFactor == 0) replicationFactor = Math.Min(3, BrokerCount);
        if (replicationFactor < 1 || replicationFactor > BrokerCount)
            throw new ArgumentOutOfRangeException(nameof(replicationFactor), replicationFactor, $"must be 1 to {BrokerCount} (the broker count)");
        lock (_lock) ThrowOnError(MockClusterNative.TopicCreate(Cluster, topic, partitions, replicationFactor), $"create topic {topic}");
    }

    /// <summary>Makes <paramref name="brokerId"/> the partition's leader (creating the topic if needed); -1 leaves it leaderless.</summary>
    public void SetPartitionLeader(string topic, int partition, int brokerId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        ArgumentOutOfRangeException.ThrowIfNegative(partition);
        if (brokerId != -1) CheckBrokerId(brokerId);
        lock (_lock)
        {
            ThrowOnError(MockClusterNative.PartitionSetLeader(Cluster, topic, partition, brokerId),
                $"set the leader of {topic} [{partition}] to broker {brokerId}");
        }
    }

    /// <summary>
    /// Deletes the records of <paramref name="topic"/> [<paramref name="partition"/>] before <paramref name="beforeOffset"/>,
    /// as Kafka's <c>DeleteRecords</c> (or retention) does: the log then starts there, and a consumer whose next offset
    /// is below it gets <c>OFFSET_OUT_OF_RANGE</c>. The mock has no DeleteRecords API, hence this call.
    /// </summary>
    /// <exception cref="KafkaException">The partition does not exist, or <paramref name="beforeOffset"/> is past its end.</exception>
    public void DeleteRecords(string topic, int partition, long beforeOffset)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        ArgumentOutOfRangeException.ThrowIfNegative(partition);
        ArgumentOutOfRangeException.ThrowIfNegative(beforeOffset);
        lock (_lock)
        {
            ThrowOnError(MockClusterNative.PartitionDeleteRecords(Cluster, topic, partition, beforeOffset),
                $"delete the records of {topic} [{partition}] before offset {beforeOffset}");
        }
    }

    /// <summary>
    /// How long a new consumer group waits for more members before its first assignment (the broker's
    /// <c>group.initial.rebalance.delay.ms</c>; librdkafka's mock defaults to 3 s).
    /// </summary>
    public void SetGroupInitialRebalanceDelay(TimeSpan delay)
    {
        lock (_lock) MockClusterNative.GroupInitialRebalanceDelay(Cluster, (int)delay.TotalMilliseconds);
    }

    /// <summary>Undoes fault injection: every broker up with no added RTT, pushed request errors dropped.</summary>
    public void Reset()
    {
        foreach (var broker in Brokers)
        {
            if (!broker.IsUp) SetBrokerUp(broker.Id);
            if (broker.RttMilliseconds != 0) SetBrokerRtt(broker.Id, TimeSpan.Zero);
        }
        lock (_lock)
        {
            foreach (var apiKey in _apiKeysWithErrors) MockClusterNative.ClearRequestErrors(Cluster, apiKey);
            _apiKeysWithErrors.Clear();
        }
    }

    /// <summary>Stops the brokers (closing client connections) and frees the cluster.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            if (_cluster == IntPtr.Zero) return;
            MockClusterNative.ClusterDestroy(_cluster);
            _handle.Dispose();
            _cluster = IntPtr.Zero;
        }
    }

    IntPtr Cluster => _cluster != IntPtr.Zero ? _cluster : throw new ObjectDisposedException(nameof(MockKafkaCluster));

    void UpdateBroker(int brokerId, Func<MockBroker, MockBroker> update, Func<IntPtr, int> call)
    {
        CheckBrokerId(brokerId);
        lock (_lock)
        {
            ThrowOnError(call(Cluster), $"change broker {brokerId}");
            _brokers[brokerId] = update(_brokers[brokerId]);
        }
    }

    void CheckBrokerId(int brokerId)
    {
        if (brokerId < 1 || brokerId > BrokerCount)
            throw new ArgumentException($"broker {brokerId} does not exist; broker ids are 1 to {BrokerCount}", nameof(brokerId));
    }

    static void ThrowOnError(int error, string action)
    {
        if (error == 0) return;
        var code = (ErrorCode)error;
        throw new KafkaException(new Error(code, $"mock cluster could not {action}: {new Error(code).Reason}"));
    }
}
