namespace KafkaCdc.DevStack.Admin;

/// <summary>Body of <c>PUT /topics/{topic}/partitions/{partition}/leader</c>: <c>{"brokerId": 2}</c>.</summary>
/// <param name="BrokerId">The new leader; -1 leaves the partition without a leader.</param>
public sealed record PartitionLeaderRequest(int BrokerId);
