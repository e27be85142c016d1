namespace KafkaCdc.SourceConnector.ChangeEvents;

/// <summary>
/// One row's column values as PostgreSQL's text output (null for SQL NULL), in the table's column order, copied
/// out of the replication message or snapshot reader that produced them. Owned by the event holding it.
/// </summary>
/// <param name="Values">The text values, one per column.</param>
/// <param name="UnchangedToast">
/// Null, or one flag per column: true where the value is an unchanged TOASTed value that the WAL did not carry
/// (pgoutput's <c>u</c>); the record then holds the contract's placeholder there.
/// </param>
internal sealed record RowImage(string?[] Values, bool[]? UnchangedToast = null);
