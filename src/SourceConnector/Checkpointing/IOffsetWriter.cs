using NpgsqlTypes;

namespace KafkaCdc.SourceConnector.Checkpointing;

/// <summary>Stores the source offset durably (the offsets topic): the second step of a checkpoint.</summary>
internal interface IOffsetWriter
{
    /// <summary>Writes <paramref name="lsn"/> as the connector's offset and returns once Kafka acknowledged it.</summary>
    Task WriteAsync(NpgsqlLogSequenceNumber lsn, CancellationToken cancellationToken);
}
