using Confluent.SchemaRegistry;

namespace KafkaCdc.DevStack.SchemaRegistry;

/// <summary>
/// Checks a new schema against earlier versions at a compatibility level and words the result as Confluent Schema
/// Registry 7.5–7.9 does in a 409 answer and in <c>?verbose=true</c> compatibility answers (Confluent's
/// <c>CompatibilityChecker</c>, <c>SchemaValidatorBuilder</c> and <c>avro.Difference</c>).
/// </summary>
/// <remarks>
/// Versions are checked latest first; the non-transitive levels look at the latest only, the transitive ones stop at
/// the first version at fault. Per incompatibility an entry
/// <c>{errorType:'TYPE_MISMATCH', description:'...', additionalInfo:'...'}</c>, in which "new" and "old" name the
/// schema being registered and the version checked. FULL lists the forward problems (the old schema reading the new)
/// before the backward ones. When the backward (or forward, for FORWARD levels) check failed,
/// <c>{oldSchemaVersion: n}</c> and <c>{oldSchema: '...'}</c> follow; the list ends with
/// <c>{validateFields: 'false', compatibility: 'LEVEL'}</c>.
/// </remarks>
static class CompatibilityReport
{
    /// <summary>Messages describing every incompatibility found; empty when the schema is compatible.</summary>
    /// <param name="level">Decides the direction(s) and how many versions are looked at.</param>
    /// <param name="candidate">The schema being registered or tested.</param>
    /// <param name="previous">The versions to check against, oldest first.</param>
    public static List<string> Check(Compatibility level, Avro.Schema candidate, IReadOnlyList<(int Version, RegistrySchema Schema)> previous)
    {
        var messages = new List<string>();
        if (level == Compatibility.None) return messages;

        for (var i = previous.Count - 1; i >= 0 && messages.Count == 0; i--)
        {
            var (version, old) = previous[i];
            switch (level)
            {
                case Compatibility.Backward or Compatibility.BackwardTransitive:
                    AddAll(messages, AvroCompatibility.Check(candidate, old.Schema), "new", "old", version, old);
                    break;
                case Compatibility.Forward or Compatibility.ForwardTransitive:
                    AddAll(messages, AvroCompatibility.Check(old.Schema, candidate), "old", "new", version, old);
                    break;
                default:
                    AddAll(messages, AvroCompatibility.Check(old.Schema, candidate), "old", "new", null, old);
                    AddAll(messages, AvroCompatibility.Check(candidate, old.Schema), "new", "old", version, old);
                    break;
            }

            if (!ConfluentCompatibilityLevel.IsTransitive(level)) break;
        }

        if (messages.Count > 0) messages.Add($"{{validateFields: 'false', compatibility: '{ConfluentCompatibilityLevel.Name(level)}'}}");
        return messages;
    }

    // A null version: the version and schema are not appended (the first half of FULL, as in Confluent).
    static void AddAll(List<string> messages, IReadOnlyList<Incompatibility> problems, string reader, string writer, int? version, RegistrySchema old)
    {
        if (problems.Count == 0) return;
        messages.AddRange(problems.Select(p => Entry(p, reader, writer)));
        if (version is null) return;
        messages.Add($"{{oldSchemaVersion: {version}}}");
        messages.Add($"{{oldSchema: '{old.Text}'}}");
    }

    static string Entry(Incompatibility problem, string reader, string writer)
    {
        var path = problem.Location;
        var description = problem.ErrorType switch
        {
            "FIXED_SIZE_MISMATCH" => $"The size of FIXED type field at path '{path}' in the {reader} schema does not match with the {writer} schema",
            "TYPE_MISMATCH" => $"The type (path '{path}') of a field in the {reader} schema does not match with the {writer} schema",
            "NAME_MISMATCH" => $"The name of the schema has changed (path '{path}')",
            "MISSING_ENUM_SYMBOLS" => $"The {reader} schema is missing enum symbols '{problem.Message}' at path '{path}' in the {writer} schema",
            "MISSING_UNION_BRANCH" => $"The {reader} schema is missing a type inside a union field at path '{path}' in the {writer} schema",
            "READER_FIELD_MISSING_DEFAULT_VALUE" =>
                $"The field '{problem.Message}' at path '{path}' in the {reader} schema has no default value and is missing in the {writer} schema",
            _ => "",
        };
        return $"{{errorType:'{problem.ErrorType}', description:'{description}', additionalInfo:'{problem.Message}'}}";
    }
}
