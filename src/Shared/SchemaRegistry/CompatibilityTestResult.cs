namespace KafkaCdc.Shared.SchemaRegistry;

/// <summary>The registry's answer to a compatibility test.</summary>
/// <param name="IsCompatible">Whether the schema could be registered under the subject's compatibility level.</param>
/// <param name="Messages">The registry's reasons when not compatible (empty when it gave none).</param>
public sealed record CompatibilityTestResult(bool IsCompatible, IReadOnlyList<string> Messages);
