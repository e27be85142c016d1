namespace KafkaCdc.Tests.SinkConnector.Support;

/// <summary>A Kafka record as the source writes it: serialized key and value (null for none) and the partition it goes to (null: by key).</summary>
internal sealed record ChangeMessage(byte[]? Key, byte[]? Value, int? Partition = null);
