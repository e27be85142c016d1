using KafkaCdc.Shared.ChangeEvents;

namespace KafkaCdc.Tests.SinkConnector.Support;

/// <summary>
/// A Kafka record as the source writes it: serialized key and value (null for none), the partition it goes to (null: by
/// key), its source position header (null: none, as snapshot reads and other producers' records) and its snapshot mark
/// header (null: none, as streamed changes and other producers' records), or that header's raw bytes (to send a malformed one).
/// </summary>
internal sealed record ChangeMessage(byte[]? Key, byte[]? Value, int? Partition = null, SourcePosition? Position = null, SnapshotMark? Snapshot = null,
    byte[]? SnapshotBytes = null)
{
    /// <summary>The KafkaCdc headers the message carries.</summary>
    public Confluent.Kafka.Headers Headers()
    {
        var headers = new Confluent.Kafka.Headers();
        if (Position is { } position) headers.Add(SourcePosition.HeaderName, position.ToBytes());
        if (Snapshot is { } snapshot) headers.Add(SnapshotMark.HeaderName, snapshot.Write());
        if (SnapshotBytes is { } bytes) headers.Add(SnapshotMark.HeaderName, bytes);
        return headers;
    }
}
