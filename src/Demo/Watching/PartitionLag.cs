namespace KafkaCdc.Demo.Watching;

/// <summary>An assigned partition and the records the sink has not written yet (null when not known yet).</summary>
internal sealed record PartitionLag(string Topic, int Partition, long? Lag);
