namespace KafkaCdc.Shared.Kafka;

/// <summary>One problem found in the Kafka part of a connector's configuration.</summary>
/// <param name="Key">The connector configuration key at fault, as the user wrote it (e.g. <c>kafka.sasl.mechanism</c>).</param>
/// <param name="Message">What is wrong and what to change. Never contains the value of a secret.</param>
public sealed record KafkaConfigProblem(string Key, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{Key}: {Message}";
}
