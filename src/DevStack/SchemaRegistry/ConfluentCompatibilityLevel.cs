
namespace KafkaCdc.DevStack.SchemaRegistry;

/// <summary>
/// The names Confluent Schema Registry's REST API uses for <see cref="CompatibilityLevel"/>s
/// (<c>BACKWARD</c>, <c>FULL_TRANSITIVE</c>...), in the <c>/config</c> resources.
/// </summary>
public static class ConfluentCompatibilityLevel
{
    /// <summary>The level's REST name, e.g. <c>BACKWARD_TRANSITIVE</c>.</summary>
    public static string Name(CompatibilityLevel level) => level switch
    {
        CompatibilityLevel.None => "NONE",
        CompatibilityLevel.Backward => "BACKWARD",
        CompatibilityLevel.BackwardTransitive => "BACKWARD_TRANSITIVE",
        CompatibilityLevel.Forward => "FORWARD",
        CompatibilityLevel.ForwardTransitive => "FORWARD_TRANSITIVE",
        CompatibilityLevel.Full => "FULL",
        CompatibilityLevel.FullTransitive => "FULL_TRANSITIVE",
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, "not a compatibility level"),
    };

    /// <summary>Parses a REST name, case-insensitively as the registry does.</summary>
    /// <returns><see langword="false"/> when <paramref name="name"/> is null or not one of the seven levels.</returns>
    public static bool TryParse(string? name, out CompatibilityLevel level)
    {
        foreach (var candidate in Enum.GetValues<CompatibilityLevel>())
        {
            if (string.Equals(Name(candidate), name?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                level = candidate;
                return true;
            }
        }

        level = default;
        return false;
    }
}
