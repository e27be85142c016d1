using Avro;

namespace KafkaCdc.DevStack.SchemaRegistry;

/// <summary>
/// Checks a new schema against earlier versions at a compatibility level and words the result the way
/// Confluent Schema Registry 7.x does in a 409 answer and in <c>?verbose=true</c> compatibility answers: one
/// entry per incompatibility (<c>{errorType:'TYPE_MISMATCH', description:'...'}</c>),
/// then <c>{oldSchemaVersion: n}</c> and <c>{oldSchema: '...'}</c> for each version at fault, and finally
/// <c>{compatibility: 'LEVEL'}</c>.
/// </summary>
static class CompatibilityReport
{
    /// <summary>Messages describing every incompatibility; empty when the schema is compatible.</summary>
    /// <param name="level">Decides the direction(s): backward (the new schema reads old data), forward, or both.</param>
    /// <param name="candidate">The schema being registered or tested.</param>
    /// <param name="previous">The versions to check against, already chosen for the level's transitivity.</param>
    public static List<string> Check(CompatibilityLevel level, Schema candidate, IReadOnlyList<(int Version, Schema Schema)> previous)
    {
        var backward = level is CompatibilityLevel.Backward or CompatibilityLevel.BackwardTransitive
            or CompatibilityLevel.Full or CompatibilityLevel.FullTransitive;
        var forward = level is CompatibilityLevel.Forward or CompatibilityLevel.ForwardTransitive
            or CompatibilityLevel.Full or CompatibilityLevel.FullTransitive;

        var messages = new List<string>();
        foreach (var (version, old) in previous)
        {
            var before = messages.Count;
            if (backward)
            {
                foreach (var problem in AvroCompatibility.Check(candidate, old))
                    messages.Add(Entry(problem, $"the new schema cannot read data written with version {version}"));
            }

            if (forward)
            {
                foreach (var problem in AvroCompatibility.Check(old, candidate))
                    messages.Add(Entry(problem, $"version {version} cannot read data written with the new schema"));
            }

            if (messages.Count > before)
            {
                messages.Add($"{{oldSchemaVersion: {version}}}");
                messages.Add($"{{oldSchema: '{old}'}}");
            }
        }

        if (messages.Count > 0) messages.Add($"{{compatibility: '{ConfluentCompatibilityLevel.Name(level)}'}}");
        return messages;
    }

    static string Entry(Incompatibility problem, string direction) =>
        $"{{errorType:'{problem.ErrorType}', description:'{Capitalized(direction)}: {problem.Message} at path '{problem.Location}''}}";

    static string Capitalized(string text) => char.ToUpperInvariant(text[0]) + text[1..];
}
