using KafkaCdc.Shared.Failures;

namespace KafkaCdc.SourceConnector.Configuration;

/// <summary>
/// The change topic of every captured table, refusing two tables that map to one topic name (after
/// <c>topic.name.format</c> and sanitising): their records would mix under one schema subject.
/// </summary>
internal sealed class TopicAssignments(string database, TopicNamer namer)
{
    readonly Dictionary<string, TableName> _tables = new(StringComparer.Ordinal);

    /// <summary>The topic of <paramref name="table"/>.</summary>
    /// <exception cref="SourceConnectorException">Another captured table already maps to that topic (permanent).</exception>
    public string Assign(TableName table)
    {
        var topic = namer.TopicFor(database, table);
        if (topic.Length is 0 or > TopicNamer.MaxTopicLength)
            throw new SourceConnectorException(FailureKind.Permanent,
                $"Table {table.Quoted} maps to the topic name '{topic}', which Kafka does not accept (1 to {TopicNamer.MaxTopicLength} characters): change topic.name.format");
        lock (_tables)
        {
            if (_tables.TryGetValue(topic, out var other) && other != table)
                throw new SourceConnectorException(FailureKind.Permanent,
                    $"Captured tables {other.Quoted} and {table.Quoted} both map to the topic '{topic}' (topic.name.format '{namer.Format}'; " +
                    "characters outside [a-zA-Z0-9._-] become '_'). Include {schema} in topic.name.format, or capture only one of them (table.include.list)");
            _tables[topic] = table;
        }
        return topic;
    }
}
