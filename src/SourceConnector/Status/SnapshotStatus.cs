using System.Collections.Concurrent;
using System.Diagnostics;

namespace KafkaCdc.SourceConnector.Status;

/// <summary>
/// What the snapshots are doing, for the log, <c>/status</c> and <c>/metrics</c>: per table, rows written to Kafka,
/// the estimate, rows per second and the time left. Written by the snapshot code, read by the REST endpoint. Thread-safe.
/// </summary>
internal sealed class SnapshotStatus
{
    readonly ConcurrentDictionary<string, TableSnapshotProgress> _tables = new(StringComparer.Ordinal);
    volatile string _state = "none";
    volatile string? _kind;
    volatile string? _detail;

    /// <summary><c>none</c>, <c>running</c>, <c>paused</c>, <c>done</c>, <c>stopped</c> or <c>failed</c>.</summary>
    public string State => _state;

    /// <summary>Whether a snapshot is running now.</summary>
    public bool IsRunning => _state is "running";

    /// <summary>The tables of the current or last snapshot.</summary>
    public IEnumerable<TableSnapshotProgress> Tables => _tables.Values;

    /// <summary>Starts showing a snapshot of <paramref name="kind"/> (<c>initial</c> or <c>incremental</c>).</summary>
    public void Begin(string kind, string? detail)
    {
        _kind = kind;
        _detail = detail;
        foreach (var table in _tables.Values.Where(t => t.Done)) _tables.TryRemove(table.Table, out _);
        _state = "running";
    }

    /// <summary>Sets the state.</summary>
    public void Set(string state, string? detail = null)
    {
        _state = state;
        if (detail is not null) _detail = detail;
    }

    /// <summary>The progress of <paramref name="table"/> (created with its estimate on first use).</summary>
    public TableSnapshotProgress For(string table, long estimatedRows) => _tables.GetOrAdd(table, t => new TableSnapshotProgress(t, estimatedRows));

    /// <summary>The <c>snapshot</c> part of <c>/status</c>.</summary>
    public object Document() => new
    {
        State,
        Kind = _kind,
        Detail = _detail,
        Tables = _tables.Values.OrderBy(t => t.Table, StringComparer.Ordinal).ToDictionary(t => t.Table, t => (object)new
        {
            t.Rows,
            t.EstimatedRows,
            t.Done,
            RowsPerSecond = Math.Round(t.RowsPerSecond, 1),
            EtaSeconds = t.EtaSeconds is { } eta ? Math.Round(eta, 1) : (double?)null,
        }),
    };
}

/// <summary>One table's snapshot progress.</summary>
internal sealed class TableSnapshotProgress(string table, long estimatedRows)
{
    readonly Stopwatch _clock = Stopwatch.StartNew();
    long _rows;
    long _reported;
    volatile bool _done;

    /// <summary>The table as <c>schema.table</c>.</summary>
    public string Table { get; } = table;

    /// <summary>The row estimate (<c>reltuples</c>) when the snapshot started; 0 when unknown.</summary>
    public long EstimatedRows { get; } = estimatedRows;

    /// <summary>Rows read and handed to Kafka.</summary>
    public long Rows => Interlocked.Read(ref _rows);

    /// <summary>Every row of the table is acknowledged by Kafka.</summary>
    public bool Done => _done;

    /// <summary>Rows per second since the table started.</summary>
    public double RowsPerSecond => _clock.Elapsed.TotalSeconds > 0 ? Rows / _clock.Elapsed.TotalSeconds : 0;

    /// <summary>Seconds left at the current rate, when an estimate exists.</summary>
    public double? EtaSeconds => Done ? 0 : EstimatedRows > Rows && RowsPerSecond > 0 ? (EstimatedRows - Rows) / RowsPerSecond : null;

    /// <summary>Counts <paramref name="rows"/> rows.</summary>
    public void Add(long rows) => Interlocked.Add(ref _rows, rows);

    /// <summary>Marks the table finished.</summary>
    public void Finish()
    {
        _done = true;
        _clock.Stop();
    }

    /// <summary>Rows counted since the previous call (for a Prometheus counter; one caller).</summary>
    public long TakeDelta()
    {
        var now = Rows;
        var delta = now - _reported;
        _reported = now;
        return delta;
    }
}
