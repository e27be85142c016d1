namespace KafkaCdc.DevStack.Admin;

/// <summary>Body of <c>POST /topics/{topic}/partitions/{partition}/delete-records</c>: <c>{"beforeOffset": 1000}</c>.</summary>
/// <param name="BeforeOffset">The records before this offset are deleted; the partition's log then starts there.</param>
public sealed record DeleteRecordsRequest(long BeforeOffset);
