using KafkaCdc.Shared.ChangeEvents;
using KafkaCdc.SourceConnector.Checkpointing;

namespace KafkaCdc.SourceConnector.ChangeEvents;

/// <summary>One captured change of one row (or a truncate of a table), before encoding.</summary>
/// <remarks>
/// The values are text, exactly as pgoutput (or a snapshot query under the same session settings) gives them; the
/// encoder decodes them with the table version's decoders. Immutable once handed to the pipeline.
/// </remarks>
internal sealed class ChangeEvent(
    ChangeOperation operation, CapturedTable table, RowImage? before, RowImage? after, SourceInfo source, TransactionProgress transaction)
    : PipelineItem
{
    /// <summary>What happened.</summary>
    public ChangeOperation Operation { get; } = operation;

    /// <summary>The table version whose columns the row images follow.</summary>
    public CapturedTable Table { get; } = table;

    /// <summary>The old row (REPLICA IDENTITY FULL) or the old key columns; null when not sent.</summary>
    public RowImage? Before { get; } = before;

    /// <summary>The new row; null for deletes and truncates.</summary>
    public RowImage? After { get; } = after;

    /// <summary>Position and time of the change.</summary>
    public SourceInfo Source { get; } = source;

    /// <summary>The transaction whose delivery tracking the records of this event count towards.</summary>
    public TransactionProgress Transaction { get; } = transaction;

    /// <summary>
    /// The position of this streamed change's record <paramref name="part"/> (<see cref="SourcePosition.ChangeRecord"/>,
    /// <see cref="SourcePosition.Tombstone"/>, <see cref="SourcePosition.CreateUnderNewKey"/>) on the server with system
    /// identifier <paramref name="systemId"/>; null for snapshot reads.
    /// </summary>
    public SourcePosition? PositionOf(ulong systemId, ulong part) =>
        Source.ChangeIndex is { } index ? new SourcePosition(systemId, (ulong)Transaction.CommitLsn, SourcePosition.OrdinalOf(index) + part) : null;

    /// <summary>This event with another <c>source.snapshot</c> marker.</summary>
    public ChangeEvent WithSnapshot(string snapshot) => new(Operation, Table, Before, After, Source with { Snapshot = snapshot }, Transaction);
}
