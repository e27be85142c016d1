namespace KafkaCdc.Shared.Configuration;

/// <summary>
/// The configuration is not usable. <see cref="Problems"/> lists every problem found, each naming its key,
/// so a user fixes them in one go rather than one restart at a time.
/// </summary>
public sealed class ConfigException : Exception
{
    /// <summary>Creates the exception from the collected problems.</summary>
    public ConfigException(IReadOnlyList<string> problems)
        : base(FormatMessage(problems))
    {
        Problems = problems;
    }

    /// <summary>One line per problem, each starting with the config key it concerns.</summary>
    public IReadOnlyList<string> Problems { get; }

    static string FormatMessage(IReadOnlyList<string> problems) =>
        $"invalid configuration ({problems.Count} problem{(problems.Count == 1 ? "" : "s")}):"
        + string.Concat(problems.Select(p => Environment.NewLine + "  - " + p));
}
