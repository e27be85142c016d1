namespace KafkaCdc.DevStack.Admin;

/// <summary>Body of <c>POST /topics</c>: <c>{"name": "orders", "partitions": 6}</c>.</summary>
/// <param name="Name">The topic name.</param>
/// <param name="Partitions">The partition count, at least 1.</param>
/// <param name="ReplicationFactor">Replicas per partition; 0 (the default) for min(3, brokers).</param>
public sealed record CreateTopicRequest(string Name, int Partitions, int ReplicationFactor = 0);
