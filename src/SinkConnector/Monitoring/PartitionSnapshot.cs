namespace KafkaCdc.SinkConnector.Monitoring;

/// <summary>An assigned partition in <c>/status</c>.</summary>
/// <param name="Topic">The topic.</param>
/// <param name="Partition">The partition.</param>
/// <param name="NextOffset">The next offset to write (committed), or null before the first commit of this assignment.</param>
/// <param name="HighWatermark">The partition's end, as last fetched, or null.</param>
/// <param name="Lag">Records not yet written, or null when unknown.</param>
/// <param name="Paused">Whether the partition is paused because its table stopped (see <see cref="TaskSnapshot.StoppedTables"/>).</param>
public sealed record PartitionSnapshot(string Topic, int Partition, long? NextOffset, long? HighWatermark, long? Lag, bool Paused);
