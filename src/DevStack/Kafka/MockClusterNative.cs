using System.Runtime.InteropServices;
using KafkaCdc.Shared.Kafka;

namespace KafkaCdc.DevStack.Kafka;

/// <summary>
/// librdkafka's mock cluster API (rdkafka_mock.h), bound to the librdkafka Confluent.Kafka
/// loaded (see <see cref="LibrdkafkaLibrary"/>). Error results are <c>rd_kafka_resp_err_t</c> values, which
/// match Confluent.Kafka's <c>ErrorCode</c>.
/// </summary>
internal static class MockClusterNative
{
    static MockClusterNative() => LibrdkafkaLibrary.BindImports(typeof(MockClusterNative).Assembly);

    internal static IntPtr ClusterNew(LibrdkafkaClientHandle rk, int brokerCount) => rd_kafka_mock_cluster_new(rk, brokerCount);

    internal static void ClusterDestroy(IntPtr cluster) => rd_kafka_mock_cluster_destroy(cluster);

    internal static string Bootstraps(IntPtr cluster) =>
        Marshal.PtrToStringUTF8(rd_kafka_mock_cluster_bootstraps(cluster)) ?? "";

    internal static int BrokerSetDown(IntPtr cluster, int brokerId) => rd_kafka_mock_broker_set_down(cluster, brokerId);

    internal static int BrokerSetUp(IntPtr cluster, int brokerId) => rd_kafka_mock_broker_set_up(cluster, brokerId);

    internal static int BrokerSetRtt(IntPtr cluster, int brokerId, int rttMs) => rd_kafka_mock_broker_set_rtt(cluster, brokerId, rttMs);

    internal static void PushRequestErrors(IntPtr cluster, short apiKey, int[] errors) =>
        rd_kafka_mock_push_request_errors_array(cluster, apiKey, (UIntPtr)errors.Length, errors);

    internal static void ClearRequestErrors(IntPtr cluster, short apiKey) => rd_kafka_mock_clear_request_errors(cluster, apiKey);

    internal static int TopicCreate(IntPtr cluster, string topic, int partitions, int replicationFactor) =>
        rd_kafka_mock_topic_create(cluster, topic, partitions, replicationFactor);

    internal static int PartitionSetLeader(IntPtr cluster, string topic, int partition, int brokerId) =>
        rd_kafka_mock_partition_set_leader(cluster, topic, partition, brokerId);

    internal static int PartitionDeleteRecords(IntPtr cluster, string topic, int partition, long beforeOffset) =>
        rd_kafka_mock_partition_delete_records(cluster, topic, partition, beforeOffset);

    internal static void GroupInitialRebalanceDelay(IntPtr cluster, int delayMs) =>
        rd_kafka_mock_group_initial_rebalance_delay_ms(cluster, delayMs);

    [DllImport(LibrdkafkaLibrary.ImportName)]
    static extern IntPtr rd_kafka_mock_cluster_new(LibrdkafkaClientHandle rk, int brokerCount);

    [DllImport(LibrdkafkaLibrary.ImportName)]
    static extern void rd_kafka_mock_cluster_destroy(IntPtr cluster);

    [DllImport(LibrdkafkaLibrary.ImportName)]
    static extern IntPtr rd_kafka_mock_cluster_bootstraps(IntPtr cluster);

    [DllImport(LibrdkafkaLibrary.ImportName)]
    static extern int rd_kafka_mock_broker_set_down(IntPtr cluster, int brokerId);

    [DllImport(LibrdkafkaLibrary.ImportName)]
    static extern int rd_kafka_mock_broker_set_up(IntPtr cluster, int brokerId);

    [DllImport(LibrdkafkaLibrary.ImportName)]
    static extern int rd_kafka_mock_broker_set_rtt(IntPtr cluster, int brokerId, int rttMs);

    [DllImport(LibrdkafkaLibrary.ImportName)]
    static extern void rd_kafka_mock_push_request_errors_array(IntPtr cluster, short apiKey, UIntPtr count, int[] errors);

    [DllImport(LibrdkafkaLibrary.ImportName)]
    static extern void rd_kafka_mock_clear_request_errors(IntPtr cluster, short apiKey);

    [DllImport(LibrdkafkaLibrary.ImportName)]
    static extern int rd_kafka_mock_topic_create(IntPtr cluster, [MarshalAs(UnmanagedType.LPUTF8Str)] string topic,
        int partitions, int replicationFactor);

    [DllImport(LibrdkafkaLibrary.ImportName)]
    static extern int rd_kafka_mock_partition_set_leader(IntPtr cluster, [MarshalAs(UnmanagedType.LPUTF8Str)] string topic,
        int partition, int brokerId);

    [DllImport(LibrdkafkaLibrary.ImportName)]
    static extern int rd_kafka_mock_partition_delete_records(IntPtr cluster, [MarshalAs(UnmanagedType.LPUTF8Str)] string topic,
        int partition, long beforeOffset);

    [DllImport(LibrdkafkaLibrary.ImportName)]
    static extern void rd_kafka_mock_group_initial_rebalance_delay_ms(IntPtr cluster, int delayMs);
}
