namespace KafkaCdc.Demo.Watching;

/// <summary>A table's row count at both ends (<c>count(*)</c>); the destination's is null while its table does not exist.</summary>
internal sealed record TableCounts(string Table, long Source, long? Destination);
