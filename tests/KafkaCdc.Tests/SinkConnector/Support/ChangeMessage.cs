using KafkaCdc.Shared.ChangeEvents;

namespace KafkaCdc.Tests.SinkConnector.Support;

/// <summary>
/// A Kafka record as the source writes it: serialized key and value (null for none), the partition it goes to (null: by
/// key) and its source position header (null: none, as snapshot reads and other producers' records).
/// </summary>
internal sealed record ChangeMessage(byte[]? Key, byte[]? Value, int? Partition = null, SourcePosition? Position = null);
