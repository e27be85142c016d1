using Confluent.SchemaRegistry;

namespace KafkaCdc.DevStack.SchemaRegistry;

/// <summary>
/// The names Confluent Schema Registry's REST API uses for its compatibility levels (<c>BACKWARD</c>,
/// <c>FULL_TRANSITIVE</c>...) in the <c>/config</c> resources, over Confluent's client enum <see cref="Compatibility"/>.
/// </summary>
public static class ConfluentCompatibilityLevel
{
    /// <summary>The level's REST name, e.g. <c>BACKWARD_TRANSITIVE</c>.</summary>
    public static string Name(Compatibility level) => level switch
    {
        Compatibility.None => "NONE",
        Compatibility.Backward => "BACKWARD",
        Compatibility.BackwardTransitive => "BACKWARD_TRANSITIVE",
        Compatibility.Forward => "FORWARD",
        Compatibility.ForwardTransitive => "FORWARD_TRANSITIVE",
        Compatibility.Full => "FULL",
        Compatibility.FullTransitive => "FULL_TRANSITIVE",
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, "not a compatibility level"),
    };

    /// <summary>Parses a REST name, case-insensitively and ignoring surrounding blanks, as the registry does.</summary>
    /// <returns><see langword="false"/> when <paramref name="name"/> is null or not one of the seven levels.</returns>
    public static bool TryParse(string? name, out Compatibility level)
    {
        foreach (var candidate in Enum.GetValues<Compatibility>())
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

    /// <summary>Whether the level checks the new schema against every earlier version rather than the latest.</summary>
    public static bool IsTransitive(Compatibility level) =>
        level is Compatibility.BackwardTransitive or Compatibility.ForwardTransitive or Compatibility.FullTransitive;
}
