namespace KafkaCdc.SourceConnector.Encoding;

/// <summary>The Kafka records of one change event, as <see cref="ChangeEventEncoder"/> encodes them.</summary>
/// <param name="Key">The record key; null for tables without a primary key and for truncates.</param>
/// <param name="Value">The envelope.</param>
/// <param name="OldKey">Set when an update changed the primary key: the old key, to be deleted first.</param>
/// <param name="OldKeyDelete">The delete envelope for <paramref name="OldKey"/> (a tombstone follows it when configured).</param>
internal readonly record struct EncodedChange(byte[]? Key, byte[] Value, byte[]? OldKey, byte[]? OldKeyDelete);
