namespace KafkaCdc.SinkConnector.Destination;

/// <summary>Where a destination column's value comes from in a record.</summary>
public enum ColumnSource
{
    /// <summary>A field of the row image (<c>after</c>, or <c>before</c> for deletes).</summary>
    Value,

    /// <summary>A field of the Kafka key (a key column the row image does not carry).</summary>
    Key,

    /// <summary><c>__connect_topic</c> (<c>primary.key.mode=kafka</c>).</summary>
    KafkaTopic,

    /// <summary><c>__connect_partition</c>.</summary>
    KafkaPartition,

    /// <summary><c>__connect_offset</c>.</summary>
    KafkaOffset,

    /// <summary>
    /// None: a stored generated column the destination computes from its expression (<see cref="RecordShape.GeneratedColumns"/>,
    /// never in <see cref="RecordShape.Columns"/>), which no write names.
    /// </summary>
    Generated,
}
