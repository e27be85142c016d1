namespace KafkaCdc.Shared.Kafka;

/// <summary>
/// The Kafka part of a connector's configuration is unusable. Carries every problem found, each naming its
/// configuration key, so the user can fix them all at once.
/// </summary>
public sealed class KafkaConfigException : Exception
{
    /// <summary>Creates the exception from the problems found (at least one).</summary>
    public KafkaConfigException(IReadOnlyList<KafkaConfigProblem> problems)
        : base(FormatMessage(problems))
    {
        Problems = problems;
    }

    /// <summary>Every problem found, in configuration order.</summary>
    public IReadOnlyList<KafkaConfigProblem> Problems { get; }

    static string FormatMessage(IReadOnlyList<KafkaConfigProblem> problems) =>
        problems.Count == 1
            ? $"Invalid Kafka client configuration: {problems[0]}"
            : $"Invalid Kafka client configuration ({problems.Count} problems):" +
              string.Concat(problems.Select(p => $"{Environment.NewLine}  {p}"));
}
