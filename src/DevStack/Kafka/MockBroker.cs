namespace KafkaCdc.DevStack.Kafka;

/// <summary>The state of one broker of a <see cref="MockKafkaCluster"/>, as set through its fault injection.</summary>
/// <param name="Id">The broker id (1 to the broker count).</param>
/// <param name="IsUp">False after <see cref="MockKafkaCluster.SetBrokerDown"/>: connections are closed and refused.</param>
/// <param name="RttMilliseconds">The round-trip time the broker adds to every response.</param>
public sealed record MockBroker(int Id, bool IsUp, int RttMilliseconds);
