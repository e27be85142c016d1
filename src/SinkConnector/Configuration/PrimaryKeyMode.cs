namespace KafkaCdc.SinkConnector.Configuration;

/// <summary><c>primary.key.mode</c>: where the destination table's primary key comes from.</summary>
public enum PrimaryKeyMode
{
    /// <summary>The Kafka key's fields (optionally only those in <c>primary.key.fields</c>).</summary>
    RecordKey,

    /// <summary>The value fields listed in <c>primary.key.fields</c>.</summary>
    RecordValue,

    /// <summary>The record's coordinates: <c>__connect_topic</c>, <c>__connect_partition</c>, <c>__connect_offset</c>.</summary>
    Kafka,

    /// <summary>No primary key: inserts append; updates and deletes with a full before image change one equal row.</summary>
    None,
}
