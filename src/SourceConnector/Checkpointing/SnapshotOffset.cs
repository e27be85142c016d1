using System.Text.Json.Serialization;

namespace KafkaCdc.SourceConnector.Checkpointing;

/// <summary>
/// Snapshot progress kept with the source offset (<see cref="SourceOffset.Snapshot"/>), so that a restart knows what
/// is left. Null parts mean "none in progress".
/// </summary>
/// <param name="Initial">The initial (or re-) snapshot still running, or null.</param>
/// <param name="Incremental">The incremental snapshot still running, or null.</param>
/// <param name="Filter">
/// The stream's changes a snapshot already holds, as offsets written before there could be several (one first-start
/// snapshot, its changes dropped); read as the first of <see cref="StreamFilters"/>, never written any more.
/// </param>
internal sealed record SnapshotOffset(
    [property: JsonPropertyName("initial")] InitialSnapshotOffset? Initial = null,
    [property: JsonPropertyName("incremental")] IncrementalSnapshotOffset? Incremental = null,
    [property: JsonPropertyName("filter")] StreamFilterOffset? Filter = null)
{
    /// <summary>
    /// The stream's changes that snapshots taken after the stream's start already hold, one entry per snapshot (attempt)
    /// that finished tables, to skip or mark until the stream passes each; null or empty when none.
    /// </summary>
    [JsonPropertyName("filters")]
    public IReadOnlyList<StreamFilterOffset>? Filters { get; init; }

    /// <summary>Every stored filter: the legacy <see cref="Filter"/>, then <see cref="Filters"/>.</summary>
    [JsonIgnore]
    public IReadOnlyList<StreamFilterOffset> StreamFilters => [.. Filter is null ? [] : new[] { Filter }, .. Filters ?? []];

    /// <summary>This progress with <paramref name="filters"/> as its only filters.</summary>
    public SnapshotOffset WithFilters(IReadOnlyList<StreamFilterOffset> filters) => this with { Filter = null, Filters = filters.Count == 0 ? null : filters };

    /// <summary>Null when nothing is in progress, else this.</summary>
    public SnapshotOffset? OrNull() => Initial is null && Incremental is null && StreamFilters.Count == 0 ? null : this;
}

/// <summary>
/// A snapshot taken after the position streaming starts from (the first start on an existing slot, or a resumed run of
/// an interrupted initial snapshot): the stream's changes of <paramref name="Tables"/> by transactions visible in
/// <paramref name="Snapshot"/> are already in the snapshot's rows, up to <paramref name="Until"/>, after which no
/// transaction is visible in it. They are dropped, or, for a resumed run (<see cref="Mark"/>), written with the header
/// <c>kafkacdc.snapshot</c> that says so (other consumers need them: the destination may hold rows of the interrupted
/// run that only they remove).
/// </summary>
/// <param name="Snapshot">The snapshot as <c>pg_current_snapshot()</c> printed it.</param>
/// <param name="Until">A WAL position read after the snapshot was taken (<c>X/X</c>).</param>
/// <param name="Tables">The tables whose rows the snapshot wrote, as <c>schema.table</c>.</param>
internal sealed record StreamFilterOffset(
    [property: JsonPropertyName("snapshot")] string Snapshot,
    [property: JsonPropertyName("until")] string Until,
    [property: JsonPropertyName("tables")] IReadOnlyList<string> Tables)
{
    /// <summary>The run (attempt) of the initial snapshot that took it; 1 for a first-start snapshot.</summary>
    [JsonPropertyName("attempt")]
    public int Attempt { get; init; } = 1;

    /// <summary>Whether the held changes are written with a mark (a resumed run) rather than dropped.</summary>
    [JsonPropertyName("mark")]
    public bool Mark { get; init; }

    /// <summary>The initial snapshot's id for the mark: the LSN streaming starts at after it (<c>X/X</c>); null unless <see cref="Mark"/>.</summary>
    [JsonPropertyName("snapshot_lsn")]
    public string? SnapshotLsn { get; init; }
}

/// <summary>An initial snapshot in progress: the tables whose every row Kafka has acknowledged.</summary>
/// <param name="Done">The finished tables, as <c>schema.table</c> (<see cref="Configuration.TableName.ToString"/>).</param>
/// <param name="Reason">Why it was taken (first start, or the reason for a re-snapshot), for the log of a resumed one.</param>
internal sealed record InitialSnapshotOffset(
    [property: JsonPropertyName("done")] IReadOnlyList<string> Done,
    [property: JsonPropertyName("reason")] string? Reason = null)
{
    /// <summary>
    /// The run of the snapshot under way: 1 for the first, n for the n-th after interruptions (stored before the run
    /// writes any row, so a run interrupted after writing rows is always followed by a higher one). Its rows carry it
    /// in the header <c>kafkacdc.snapshot</c>; offsets stored without it were of a first run.
    /// </summary>
    [JsonPropertyName("attempt")]
    public int Attempt { get; init; } = 1;
}

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
