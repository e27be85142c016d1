
namespace KafkaCdc.SourceConnector.Configuration;

/// <summary>
/// Which published tables become change topics: those the <see cref="TableFilter"/> includes, except the connector's
/// own heartbeat and signal tables, whose changes are consumed (they move the stream forward) but not published
/// unless the filter names them as <c>schema.table</c>.
/// </summary>
internal sealed class CaptureRules(TableFilter filter, TableName heartbeatTable, TableName signalTable)
{
    /// <summary>The filter.</summary>
    public TableFilter Filter { get; } = filter;

    /// <summary>The heartbeat table.</summary>
    public TableName HeartbeatTable { get; } = heartbeatTable;

    /// <summary>The signal table.</summary>
    public TableName SignalTable { get; } = signalTable;

    /// <summary>Whether changes of <paramref name="table"/> are published.</summary>
    public bool IsCaptured(TableName table) =>
        Filter.Includes(table) && (!IsConnectorTable(table) || Filter.NamesExplicitly(table));

    /// <summary>Whether <paramref name="table"/> is the heartbeat or signal table.</summary>
    public bool IsConnectorTable(TableName table) => table == HeartbeatTable || table == SignalTable;
}
