namespace KafkaCdc.SourceConnector.Configuration;

/// <summary>When the connector snapshots the captured tables (<c>snapshot.mode</c>).</summary>
internal enum SnapshotMode
{
    /// <summary>On the first start (no stored offset): snapshot every captured table, then stream.</summary>
    Initial,

    /// <summary>As <see cref="Initial"/>, then stop instead of streaming.</summary>
    InitialOnly,

    /// <summary>Never snapshot on start; stream only (snapshots on demand through signals still work).</summary>
    NoData,

    /// <summary>
    /// As <see cref="Initial"/>, and again whenever the stored offset cannot be honoured by the slot (slot missing or
    /// recreated, offset of another slot) instead of refusing to start.
    /// </summary>
    WhenNeeded,
}

/// <summary>How the initial snapshot is taken (<c>snapshot.initial.method</c>).</summary>
internal enum SnapshotInitialMethod
{
    /// <summary>Inside the snapshot exported when the slot is created: consistent, streaming starts after it.</summary>
    Exported,

    /// <summary>As an incremental snapshot from the first second of streaming: the slot keeps advancing.</summary>
    Incremental,
}

/// <summary>What happens to tables captured for the first time after the initial snapshot (<c>snapshot.new.tables</c>).</summary>
internal enum SnapshotNewTables
{
    /// <summary>They are backfilled by an incremental snapshot.</summary>
    Incremental,

    /// <summary>Only their changes from then on are captured.</summary>
    Off,
}

/// <summary>
/// What happens when a captured table changes in a way PostgreSQL applies to its existing rows without logging them
/// (<c>snapshot.on.schema.change</c>): a type change, a column added with a non-constant default, a rename.
/// </summary>
internal enum SnapshotOnSchemaChange
{
    /// <summary>The table is backfilled by an incremental snapshot.</summary>
    Incremental,

    /// <summary>A warning names the table, the reason and how to backfill it by hand.</summary>
    Off,
}

/// <summary>The snapshot settings of the source connector.</summary>
internal sealed record SnapshotSettings
{
    public const string ModeKey = "snapshot.mode";
    public const string MaxThreadsKey = "snapshot.max.threads";
    public const string InitialMethodKey = "snapshot.initial.method";
    public const string FetchSizeKey = "snapshot.fetch.size";
    public const string IncrementalChunkSizeKey = "incremental.snapshot.chunk.size";
    public const string NewTablesKey = "snapshot.new.tables";
    public const string KeyColumnsKey = "snapshot.key.columns";
    public const string OnSchemaChangeKey = "snapshot.on.schema.change";

    public SnapshotMode Mode { get; init; } = SnapshotMode.Initial;

    /// <summary>Parallel readers of the initial snapshot.</summary>
    public int MaxThreads { get; init; } = 2;

    public SnapshotInitialMethod InitialMethod { get; init; } = SnapshotInitialMethod.Exported;

    /// <summary>Rows per chunk of the initial snapshot (a CTID range of about this many rows, read in one query).</summary>
    public int FetchSize { get; init; } = 10240;

    /// <summary>Rows per chunk of an incremental snapshot.</summary>
    public int IncrementalChunkSize { get; init; } = 10000;

    public SnapshotNewTables NewTables { get; init; } = SnapshotNewTables.Incremental;

    /// <summary>Whether a schema change that rewrote existing rows without logging them is backfilled.</summary>
    public SnapshotOnSchemaChange OnSchemaChange { get; init; } = SnapshotOnSchemaChange.Incremental;

    /// <summary>Per table, the columns an incremental snapshot orders its chunks by instead of the primary key.</summary>
    public IReadOnlyDictionary<TableName, IReadOnlyList<string>> KeyColumns { get; init; } = new Dictionary<TableName, IReadOnlyList<string>>();

    /// <summary>Parses <c>snapshot.key.columns</c>: <c>schema.table:col1,col2;schema.table2:col</c>.</summary>
    public static IReadOnlyDictionary<TableName, IReadOnlyList<string>> ParseKeyColumns(string? text, Action<string, string> problem)
    {
        var result = new Dictionary<TableName, IReadOnlyList<string>>();
        if (string.IsNullOrWhiteSpace(text)) return result;
        foreach (var entry in text.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var colon = entry.LastIndexOf(':');
            if (colon <= 0 || colon == entry.Length - 1)
            {
                problem(KeyColumnsKey, $"'{entry}' is not schema.table:column[,column...]");
                continue;
            }
            var table = TableName.TryParse(entry[..colon].Trim(), out var tableProblem);
            if (table is null)
            {
                problem(KeyColumnsKey, tableProblem!);
                continue;
            }
            var columns = new List<string>();
            foreach (var column in entry[(colon + 1)..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var parts = IdentifierPath.Split(column, out var columnProblem);
                if (parts is not { Count: 1 }) problem(KeyColumnsKey, columnProblem ?? $"'{column}' in '{entry}' is not a column name");
                else columns.Add(parts[0]);
            }
            if (columns.Count == 0) problem(KeyColumnsKey, $"'{entry}' names no column");
            else if (!result.TryAdd(table, columns)) problem(KeyColumnsKey, $"table {table} is named twice");
        }
        return result;
    }
}
