namespace KafkaCdc.SourceConnector.Replication;

/// <summary>One line of <see cref="ServerRequirements"/>.</summary>
/// <param name="Item">What is required, as <c>check</c> names it.</param>
/// <param name="Met">Whether the server offers it.</param>
/// <param name="Detail">What was found, and when unmet what to change.</param>
internal sealed record ServerRequirement(string Item, bool Met, string Detail);
