using System.Text.Json.Serialization;

namespace KafkaCdc.SourceConnector.Checkpointing;

/// <summary>
/// Snapshot progress kept with the source offset (<see cref="SourceOffset.Snapshot"/>), so that a restart knows what
/// is left. Null parts mean "none in progress".
/// </summary>
/// <param name="Initial">The initial (or re-) snapshot still running, or null.</param>
/// <param name="Incremental">The incremental snapshot still running, or null.</param>
/// <param name="Filter">The stream's changes a snapshot already holds, to skip until the stream passes them, or null.</param>
internal sealed record SnapshotOffset(
    [property: JsonPropertyName("initial")] InitialSnapshotOffset? Initial = null,
    [property: JsonPropertyName("incremental")] IncrementalSnapshotOffset? Incremental = null,
    [property: JsonPropertyName("filter")] StreamFilterOffset? Filter = null)
{
    /// <summary>Null when nothing is in progress, else this.</summary>
    public SnapshotOffset? OrNull() => Initial is null && Incremental is null && Filter is null ? null : this;
}

/// <summary>
/// A snapshot taken after the position streaming starts from (the first start on an existing slot): the stream's
/// changes of <paramref name="Tables"/> by transactions visible in <paramref name="Snapshot"/> are already in the
/// snapshot's rows, so they are skipped, up to <paramref name="Until"/>, after which no transaction is visible in it.
/// </summary>
/// <param name="Snapshot">The snapshot as <c>pg_current_snapshot()</c> printed it.</param>
/// <param name="Until">A WAL position read after the snapshot was taken (<c>X/X</c>).</param>
/// <param name="Tables">The tables whose rows the snapshot wrote, as <c>schema.table</c>.</param>
internal sealed record StreamFilterOffset(
    [property: JsonPropertyName("snapshot")] string Snapshot,
    [property: JsonPropertyName("until")] string Until,
    [property: JsonPropertyName("tables")] IReadOnlyList<string> Tables);

/// <summary>An initial snapshot in progress: the tables whose every row Kafka has acknowledged.</summary>
/// <param name="Done">The finished tables, as <c>schema.table</c> (<see cref="Configuration.TableName.ToString"/>).</param>
/// <param name="Reason">Why it was taken (first start, or the reason for a re-snapshot), for the log of a resumed one.</param>
internal sealed record InitialSnapshotOffset(
    [property: JsonPropertyName("done")] IReadOnlyList<string> Done,
    [property: JsonPropertyName("reason")] string? Reason = null);

/// <summary>An incremental snapshot in progress (signals), resumed at the next chunk after a restart.</summary>
/// <param name="Id">The signal id that requested it.</param>
/// <param name="Tables">The tables still to do, the current one first, quoted (<c>"schema"."table"</c>).</param>
/// <param name="Conditions">Per table, the extra filter (<c>additional-conditions</c>) or none.</param>
/// <param name="LastKey">The key (text values of the chunk columns) of the last row written of the current table, or null at its start.</param>
/// <param name="MaxKey">The largest key of the current table when it started, or null at its start.</param>
/// <param name="Paused">Whether a pause signal holds it.</param>
internal sealed record IncrementalSnapshotOffset(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("tables")] IReadOnlyList<string> Tables,
    [property: JsonPropertyName("conditions")] IReadOnlyDictionary<string, string>? Conditions = null,
    [property: JsonPropertyName("last_key")] IReadOnlyList<string?>? LastKey = null,
    [property: JsonPropertyName("max_key")] IReadOnlyList<string?>? MaxKey = null,
    [property: JsonPropertyName("paused")] bool Paused = false)
{
    /// <summary>Whether <see cref="MaxKey"/> was determined for the current table (null then means it is empty).</summary>
    [JsonPropertyName("max_known")]
    public bool MaxKnown { get; init; }

    /// <summary>The columns the current table is read by.</summary>
    [JsonPropertyName("key_columns")]
    public IReadOnlyList<string>? KeyColumns { get; init; }
}
