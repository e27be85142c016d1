using System.Diagnostics;
using KafkaCdc.Demo.Workload;
using Npgsql;

namespace KafkaCdc.Demo.Watching;

/// <summary>
/// Takes a <see cref="PipelineSample"/> when asked (about once a second): both connectors' <c>/status</c> every time,
/// the end-to-end lag every time, the row counts every <see cref="CountEvery"/> (counts of a database that does not
/// answer stay as they were, with the reason in <see cref="CountProblem"/>).
/// </summary>
internal sealed class PipelineWatcher(DemoOptions options, StatusClient status, RowCounter counter, EndToEndLag lag, ShopWorkload? workload)
{
    /// <summary>How often the row counts are refreshed.</summary>
    public static readonly TimeSpan CountEvery = TimeSpan.FromSeconds(3);

    readonly long _started = Stopwatch.GetTimestamp();
    long _counted;
    IReadOnlyList<string> _tables = [];
    IReadOnlyList<TableCounts> _counts = [];
    TimeSpan? _lag;

    /// <summary>Why the last count or lag measure failed, if it did.</summary>
    public string? CountProblem { get; private set; }

    /// <summary>Reads everything once.</summary>
    public async Task<PipelineSample> SampleAsync(CancellationToken cancellationToken)
    {
        var sourceTask = status.SourceAsync(options.SourceUrl, cancellationToken);
        var sinkTasks = options.SinkUrls.Select((url, i) => status.SinkAsync(i + 1, url, cancellationToken)).ToList();
        try
        {
            if (_tables.Count == 0) _tables = await counter.SourceTablesAsync(cancellationToken);
            if (_counted == 0 || Stopwatch.GetElapsedTime(_counted) >= CountEvery)
            {
                _counted = Stopwatch.GetTimestamp();
                _counts = await counter.CountAsync(_tables, cancellationToken);
            }
            _lag = await lag.MeasureAsync(cancellationToken);
            CountProblem = null;
        }
        catch (NpgsqlException e)
        {
            CountProblem = e.Message;
        }
        return new PipelineSample(Stopwatch.GetElapsedTime(_started), await sourceTask, await Task.WhenAll(sinkTasks), _counts, _lag,
            workload?.Progress());
    }
}
