using Confluent.Kafka;
using KafkaCdc.DevStack.Kafka;

namespace KafkaCdc.DevStack.Admin;

/// <summary>
/// Body of <c>POST /request-errors</c>, e.g. <c>{"apiKey": "Produce", "errors": ["NotEnoughReplicas", 7]}</c>:
/// the next requests of that type fail with these errors, one each, in order.
/// </summary>
/// <param name="ApiKey">The request type, by name (<see cref="KafkaApiKey"/>) or protocol number.</param>
/// <param name="Errors">Kafka error codes, by Confluent.Kafka <see cref="ErrorCode"/> name or number.</param>
public sealed record RequestErrorsRequest(KafkaApiKey ApiKey, IReadOnlyList<ErrorCode> Errors);
