using KafkaCdc.Shared.Postgres;
using KafkaCdc.SourceConnector.Configuration;
using KafkaCdc.SourceConnector.Status;

namespace KafkaCdc.SourceConnector.ChangeEvents;

/// <summary>
/// One version of a captured table's shape (a new one per Relation message that changes it): its schemas and
/// decoders and the topic its records go to. Immutable apart from the publisher's registration flag.
/// </summary>
internal sealed class CapturedTable(TableName name, string topic, PgTableSchema schema, TableCounters counters)
{
    /// <summary>The table's exact name.</summary>
    public TableName Name { get; } = name;

    /// <summary>The change topic.</summary>
    public string Topic { get; } = topic;

    /// <summary>Key, value and envelope schemas and the column decoders.</summary>
    public PgTableSchema Schema { get; } = schema;

    /// <summary>The table's event counters, shared by all its versions.</summary>
    public TableCounters Counters { get; } = counters;

    /// <summary>Set by the publisher once the topic exists and the schemas are registered (publisher thread only).</summary>
    public bool IsReady { get; set; }
}
