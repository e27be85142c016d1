using System.Text.Json;

namespace KafkaCdc.Tests;

/// <summary>
/// The latest librdkafka statistics of a client (set <c>statistics.interval.ms</c> and pass <see cref="Update"/>
/// as the statistics handler), for waiting on what the client sees of each broker.
/// </summary>
/// <remarks>See librdkafka's STATISTICS.md for the fields.</remarks>
public sealed class ProducerStatistics
{
    volatile string? _json;

    /// <summary>Takes a statistics JSON document emitted by librdkafka.</summary>
    public void Update(string json) => _json = json;

    /// <summary>A per-broker counter (e.g. <c>waitresp_cnt</c>, <c>txretries</c>) of broker <paramref name="brokerId"/>; 0 before any statistics.</summary>
    public long BrokerCounter(int brokerId, string counter) =>
        Brokers().Where(b => b.GetProperty("nodeid").GetInt32() == brokerId).Sum(b => b.GetProperty(counter).GetInt64());

    /// <summary>
    /// The client's view of broker <paramref name="brokerId"/>'s connection (<c>UP</c>, <c>DOWN</c>, <c>CONNECT</c>, ...);
    /// null when the client does not know the broker (any more).
    /// </summary>
    public string? BrokerState(int brokerId) =>
        Brokers().Where(b => b.GetProperty("nodeid").GetInt32() == brokerId).Select(b => b.GetProperty("state").GetString()).FirstOrDefault();

    /// <summary>
    /// A per-partition counter (e.g. <c>txmsgs</c>: messages sent, counting each retry; <c>msgs</c>: messages
    /// produced); 0 before any statistics.
    /// </summary>
    public long PartitionCounter(string topic, int partition, string counter)
    {
        if (_json is not { } json) return 0;
        using var document = JsonDocument.Parse(json);
        return document.RootElement.GetProperty("topics").TryGetProperty(topic, out var topicStatistics)
               && topicStatistics.GetProperty("partitions").TryGetProperty($"{partition}", out var partitionStatistics)
            ? partitionStatistics.GetProperty(counter).GetInt64()
            : 0;
    }

    IEnumerable<JsonElement> Brokers()
    {
        if (_json is not { } json) return [];
        using var document = JsonDocument.Parse(json);
        return document.RootElement.GetProperty("brokers").EnumerateObject().Select(p => p.Value.Clone()).ToList();
    }
}
