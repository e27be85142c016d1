namespace KafkaCdc.Demo.Verdict;

/// <summary>One table compared at both ends.</summary>
/// <param name="Table">The source table (schema public).</param>
/// <param name="SourceRows">Rows at the source.</param>
/// <param name="DestinationRows">Rows at the destination (null: its table does not exist).</param>
/// <param name="Equal">Same rows with the same content on the source's columns.</param>
/// <param name="FirstDifference">When not equal: the first key (in key order) that differs, and how.</param>
internal sealed record TableVerdict(string Table, long SourceRows, long? DestinationRows, bool Equal, string? FirstDifference);
