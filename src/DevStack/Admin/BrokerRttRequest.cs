namespace KafkaCdc.DevStack.Admin;

/// <summary>Body of <c>PUT /brokers/{id}/rtt</c>: <c>{"rttMs": 500}</c>.</summary>
/// <param name="RttMs">Milliseconds the broker adds to every response; 0 to stop.</param>
public sealed record BrokerRttRequest(int RttMs);
