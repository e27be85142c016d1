using System.Text.Json;
using System.Text.Json.Serialization;
using NpgsqlTypes;

namespace KafkaCdc.SourceConnector.Checkpointing;

/// <summary>
/// The connector's position, one record per connector in <c>offset.storage.topic</c> (key: the connector name;
/// value: this, as JSON). A null value (tombstone) means "no position": the next start begins at the slot's.
/// </summary>
/// <param name="Lsn">The last LSN whose changes are all in Kafka, in PostgreSQL's form (<c>16/B374D848</c>).</param>
/// <param name="Slot">The replication slot the LSN belongs to.</param>
/// <param name="Publication">The publication streamed.</param>
/// <param name="Database">The source database.</param>
/// <param name="Updated">When the offset was written (UTC).</param>
/// <param name="Snapshot">Snapshot progress (<see cref="SnapshotOffset"/>), null when no snapshot is in progress.</param>
/// <param name="Tables">The captured tables when the offset was written, quoted (<c>"schema"."table"</c>), so that a
/// start can tell newly captured tables (<c>snapshot.new.tables</c>); null in offsets of earlier versions.</param>
internal sealed record SourceOffset(
    [property: JsonPropertyName("lsn")] string Lsn,
    [property: JsonPropertyName("slot")] string Slot,
    [property: JsonPropertyName("publication")] string Publication,
    [property: JsonPropertyName("database")] string Database,
    [property: JsonPropertyName("updated")] DateTimeOffset Updated,
    [property: JsonPropertyName("snapshot")] SnapshotOffset? Snapshot = null,
    [property: JsonPropertyName("tables")] IReadOnlyList<string>? Tables = null)
{
    static readonly JsonSerializerOptions s_json = new() { DefaultIgnoreCondition = JsonIgnoreCondition.Never };

    /// <summary>The LSN as a number.</summary>
    [JsonIgnore]
    public NpgsqlLogSequenceNumber LsnValue => NpgsqlLogSequenceNumber.Parse(Lsn);

    /// <summary>The JSON of the record value.</summary>
    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, s_json);

    /// <summary>Parses a record value.</summary>
    /// <exception cref="JsonException">Not a source offset.</exception>
    public static SourceOffset Parse(ReadOnlySpan<byte> json)
    {
        var offset = JsonSerializer.Deserialize<SourceOffset>(json, s_json) ?? throw new JsonException("the offset record holds JSON null");
        if (!NpgsqlLogSequenceNumber.TryParse(offset.Lsn, out _)) throw new JsonException($"'{offset.Lsn}' is not an LSN");
        return offset;
    }
}
